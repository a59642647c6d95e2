using System.Text.Json.Serialization;
using Ghfe.Routing;
using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>
/// /jobs/{id}: where a job is. Its row, every delivery the log holds for it (oldest first), and
/// for a job no rule routed, why. <see cref="Known"/> is false when no delivery of it ever reached ghfe.
/// </summary>
public sealed record JobView(
    string Environment,
    long JobId,
    bool Known,
    JobRow? Job,
    [property: JsonIgnore] string? GitHubUrl,
    [property: JsonIgnore] string? Created,
    [property: JsonIgnore] string? Started,
    [property: JsonIgnore] string? Completed,
    double? QueueWaitSeconds,
    double? RunSeconds,
    [property: JsonIgnore] string QueueWait,
    [property: JsonIgnore] string RunTime,
    IReadOnlyList<DeliveryLine> Deliveries,
    Explanation? Explanation)
{
    public static JobView Build(bool prod, long jobId, JobData data, RoutingTable routing)
    {
        var job = data.Job;
        var wait = job?.StartedAt - job?.CreatedAt;
        var run = job?.CompletedAt - job?.StartedAt;
        return new JobView(
            Layout.EnvironmentOf(prod),
            jobId,
            job is not null || data.Deliveries.Count > 0,
            job,
            Links.SafeHttp(job?.HtmlUrl),
            job is null ? null : Durations.Utc(job.CreatedAt),
            job?.StartedAt is { } started ? Durations.Utc(started) : null,
            job?.CompletedAt is { } completed ? Durations.Utc(completed) : null,
            wait?.TotalSeconds,
            run?.TotalSeconds,
            wait is { } w ? Durations.Short(w) : "–",
            run is { } r ? Durations.Short(r) : "–",
            [.. data.Deliveries.Select(entry => new DeliveryLine(entry))],
            job is null ? Explain(data.Deliveries, routing) : null);
    }

    /// <summary>A job with no row was never routed: explain the labels of its latest delivery that says whose it is.</summary>
    private static Explanation? Explain(IReadOnlyList<DeliveryEntry> deliveries, RoutingTable routing) =>
        deliveries.LastOrDefault(d => d.OwnerId is not null && d.Repository is not null && d.Labels is not null) is { } latest
            ? Explainer.Explain(routing, latest.OwnerId!.Value, latest.Repository!, latest.Labels!)
            : null;
}
