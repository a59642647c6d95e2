namespace Ghfe.History;

/// <summary>Jobs of one (entity, pool) in the window, by status, with queue wait and run time percentiles (seconds).</summary>
public sealed record HistoryGroupStats(
    long EntityId,
    string EntityName,
    string Pool,
    int Pending,
    int Running,
    int Completed,
    int Failed,
    double? QueueWaitP50,
    double? QueueWaitP95,
    double? RunTimeP50,
    double? RunTimeP95);
