namespace Ghfe.Store;

/// <summary>
/// What the store reads for one /usage request, from one snapshot: every live job counted, the
/// oldest of them listed (at most <see cref="PageQueries.ListedJobs"/>), and the active workers.
/// </summary>
public sealed record UsageData(IReadOnlyList<ActiveJob> Jobs, IReadOnlyList<LiveJobCount> JobCounts, IReadOnlyList<ActiveWorker> Workers);
