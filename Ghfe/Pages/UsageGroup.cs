namespace Ghfe.Pages;

/// <summary>Jobs and workers of one entity asking for one label set in one pool.</summary>
/// <param name="OldestPendingSince">When its longest-waiting pending job was queued; null when none is pending.</param>
public sealed record UsageGroup(
    long EntityId,
    string EntityName,
    IReadOnlyList<string> Labels,
    string Pool,
    Counts Counts,
    DateTimeOffset? OldestPendingSince,
    IReadOnlyList<JobLine> Jobs,
    IReadOnlyList<WorkerLine> Workers);
