namespace Ghfe.History;

/// <summary>
/// The jobs created on one UTC day for one (entity, pool, status): how many, and their queue
/// waits and run times. /history sums these, whether they come from the job_days table (days
/// already rolled up) or are computed on the spot from jobs (the rest of the window).
/// </summary>
public sealed record DayRollup(
    DateOnly Day,
    long EntityId,
    string EntityName,
    string Pool,
    string Status,
    int Jobs,
    DurationHistogram QueueWait,
    DurationHistogram RunTime);
