using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>Active jobs and workers by status, and how far demand outruns supply.</summary>
public sealed record Counts(int PendingJobs, int RunningJobs, int PendingWorkers, int RunningWorkers)
{
    public int Jobs => PendingJobs + RunningJobs;

    public int Workers => PendingWorkers + RunningWorkers;

    /// <summary>Jobs still waiting for a worker; negative when workers idle.</summary>
    public int Deficit => Jobs - Workers;

    public static Counts Of(IEnumerable<LiveJobCount> jobs, IEnumerable<ActiveWorker> workers) =>
        new(
            jobs.Where(count => count.Status == "pending").Sum(count => count.Jobs),
            jobs.Where(count => count.Status == "running").Sum(count => count.Jobs),
            workers.Count(worker => worker.Status == "pending"),
            workers.Count(worker => worker.Status == "running"));
}
