using System.Text.Json.Serialization;

namespace Ghfe.Pages;

/// <summary>One line of /history's table: the jobs of one (entity, pool), with percentiles as numbers (JSON) and as text (HTML).</summary>
public sealed record HistoryGroup(
    long EntityId,
    string EntityName,
    string Pool,
    int Total,
    int Pending,
    int Running,
    int Completed,
    int Failed,
    double? QueueWaitP50Seconds,
    double? QueueWaitP95Seconds,
    double? RunTimeP50Seconds,
    double? RunTimeP95Seconds,
    [property: JsonIgnore] string QueueWait,
    [property: JsonIgnore] string RunTime);
