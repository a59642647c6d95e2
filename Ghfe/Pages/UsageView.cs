using System.Text.Json.Serialization;
using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>
/// The /usage page: live demand against supply, per pool and per (entity, labels). Every live
/// job is counted; <see cref="ListedJobs"/> of them, the oldest, are listed one by one.
/// </summary>
public sealed record UsageView(
    string Environment,
    DateTimeOffset GeneratedAt,
    [property: JsonIgnore] string GeneratedAtText,
    [property: JsonIgnore] int RefreshSeconds,
    [property: JsonIgnore] string RefreshToggleUrl,
    Counts Totals,
    int ListedJobs,
    IReadOnlyList<PoolSummary> Pools,
    IReadOnlyList<UsageGroup> Groups)
{
    public const int DefaultRefreshSeconds = 15;

    /// <summary>
    /// Pure: groups the counts and the active rows; the cards by their longest-waiting pending job,
    /// and in each card the oldest jobs first.
    /// </summary>
    /// <param name="jobs">The live jobs to list (the store reads the oldest few of a backlog).</param>
    /// <param name="jobCounts">Every live job, counted.</param>
    public static UsageView Build(
        bool prod, DateTimeOffset now, IReadOnlyList<ActiveJob> jobs, IReadOnlyList<LiveJobCount> jobCounts, IReadOnlyList<ActiveWorker> workers, bool refresh, string pageUrl)
    {
        static string Key(long entity, IReadOnlyList<string> labels, string pool) =>
            $"{entity}\u0000{string.Join('\u0001', labels)}\u0000{pool}";

        var jobsByKey = jobs.ToLookup(job => Key(job.EntityId, job.Labels, job.Pool));
        var countsByKey = jobCounts.ToLookup(count => Key(count.EntityId, count.Labels, count.Pool));
        var workersByKey = workers.ToLookup(worker => Key(worker.EntityId, worker.Labels, worker.Pool));
        var keys = jobCounts.Select(count => (Key: Key(count.EntityId, count.Labels, count.Pool), count.EntityId, count.Labels, count.Pool, Name: (string?)count.EntityName))
            .Concat(workers.Select(worker => (Key: Key(worker.EntityId, worker.Labels, worker.Pool), worker.EntityId, worker.Labels, worker.Pool, Name: worker.EntityName)))
            .GroupBy(key => key.Key)
            .Select(group => group.First() with { Name = group.Select(g => g.Name).FirstOrDefault(name => name is not null) });

        var groups = keys
            .Select(key => new UsageGroup(
                key.EntityId,
                key.Name ?? key.EntityId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                key.Labels,
                key.Pool,
                Counts.Of(countsByKey[key.Key], workersByKey[key.Key]),
                countsByKey[key.Key].Where(count => count.Status == "pending").Select(count => (DateTimeOffset?)count.OldestCreatedAt).Min(),
                [.. jobsByKey[key.Key].OrderBy(job => job.CreatedAt).ThenBy(job => job.JobId).Select(job => Line(job, now))],
                [.. workersByKey[key.Key].OrderBy(worker => worker.CreatedAt).ThenBy(worker => worker.PodName, StringComparer.Ordinal).Select(worker => Line(worker, now))]))
            // The card of the job that has waited longest first: that is the one an operator looks for.
            // Cards with nothing waiting follow, the largest deficit first.
            .OrderBy(group => group.OldestPendingSince is null)
            .ThenBy(group => group.OldestPendingSince)
            .ThenByDescending(group => group.Counts.Deficit)
            .ThenBy(group => group.EntityName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(group => group.Pool, StringComparer.Ordinal)
            .ToArray();

        var pools = jobCounts.Select(count => count.Pool).Concat(workers.Select(worker => worker.Pool))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(pool => new PoolSummary(pool, Counts.Of(jobCounts.Where(count => count.Pool == pool), workers.Where(worker => worker.Pool == pool))))
            .ToArray();

        return new UsageView(
            Layout.EnvironmentOf(prod),
            now,
            Durations.Utc(now),
            refresh ? DefaultRefreshSeconds : 0,
            refresh ? $"{pageUrl}{(pageUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}refresh=0" : pageUrl,
            Counts.Of(jobCounts, workers),
            jobs.Count,
            pools,
            groups);
    }

    private static JobLine Line(ActiveJob job, DateTimeOffset now)
    {
        var started = job.Status == "running" ? job.StartedAt ?? job.CreatedAt : (DateTimeOffset?)null;
        // Clocks of two machines may disagree by a little: a start is taken as no earlier than the queueing and no later than now.
        var end = started is { } at ? Min(Max(at, job.CreatedAt), now) : now;
        var waited = Positive(end - job.CreatedAt);
        var running = started is null ? (TimeSpan?)null : Positive(now - end);
        return new(
            job.JobId, job.Status, job.Labels, job.Repository, Links.SafeHttp(job.HtmlUrl), job.CreatedAt, started,
            (long)Positive(now - job.CreatedAt).TotalSeconds, (long)waited.TotalSeconds, (long?)running?.TotalSeconds,
            Durations.Short(waited), running is { } run ? Durations.Short(run) : "–");
    }

    private static TimeSpan Positive(TimeSpan duration) => duration < TimeSpan.Zero ? TimeSpan.Zero : duration;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static WorkerLine Line(ActiveWorker worker, DateTimeOffset now) =>
        new(worker.PodName, worker.Status, worker.Node, worker.CreatedAt, (long)(now - worker.CreatedAt).TotalSeconds, Durations.Short(now - worker.CreatedAt));
}
