namespace Ghfe.Pages;

/// <summary>Jobs and workers of one entity asking for one label set in one pool.</summary>
public sealed record UsageGroup(
    long EntityId,
    string EntityName,
    IReadOnlyList<string> Labels,
    string Pool,
    Counts Counts,
    IReadOnlyList<JobLine> Jobs,
    IReadOnlyList<WorkerLine> Workers);
