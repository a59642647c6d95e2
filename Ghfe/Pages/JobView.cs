using System.Text.Json.Serialization;
using Ghfe.Routing;
using Ghfe.Store;
using Ghfe.Webhook;

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
    [property: JsonIgnore] string? Headline,
    [property: JsonIgnore] string? Advice,
    Explanation? Explanation)
{
    /// <summary>When its deliveries came through the wrong App (or an unknown one): what to do, said at the top.</summary>
    [JsonIgnore]
    public AppAdvice? WrongApp => AppAdvice.First(Deliveries);

    /// <summary>The explanation in one line, the one the delivery's log line gives.</summary>
    [JsonIgnore]
    public string? Reason => Explanation is null ? null : Explainer.Reason(Explanation);

    /// <param name="admission">Who the routing file refuses: a job refused for its owner is explained by it.</param>
    public static JobView Build(bool prod, long jobId, JobData data, RoutingTable routing, AppIds apps, Admission? admission = null)
    {
        var job = data.Job;
        var latest = data.Deliveries.Count > 0 ? data.Deliveries[^1] : null;
        var (headline, advice) = job is null && latest is not null ? Fate(latest.Outcome) : (null, null);
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
            [.. data.Deliveries.Select(entry => new DeliveryLine(entry, apps))],
            headline,
            advice,
            job is null ? latest?.Outcome switch
            {
                DeliveryOutcome.NoMatchingRule => Explain(data.Deliveries, routing),
                DeliveryOutcome.Banned => ExplainBan(data.Deliveries, routing, admission),
                _ => null,
            } : null);
    }

    /// <summary>For a job with no row: what its latest delivery's outcome means, and what to do.</summary>
    public static (string Headline, string Advice) Fate(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.NoMatchingRule => ("No runner: no routing rule took its labels", "The explanation below says which rule would have to change, and names a near miss."),
        DeliveryOutcome.Banned => ("Not run: refused before routing, its owner or its sender is banned",
            "The routing file bans this owner (banned_entities) or the person who triggered the job (banned_senders): ghfe answered “Ignoring job: … is banned”, forwarded nothing and keeps no row. /routing lists the bans."),
        DeliveryOutcome.NotPublic => ("Not run: its repository is not public",
            "The routing file serves only public repositories (public_repositories_only): ghfe answered “Ignoring job: repository is not public” and keeps no row. A delivery that does not say its repository's visibility counts as not public."),
        DeliveryOutcome.Spooled => ("Accepted, waiting in the journal", "PostgreSQL did not answer in time: ghfe keeps the job in its journal and stores it as soon as the database is back."),
        DeliveryOutcome.Unavailable or DeliveryOutcome.DatabaseError or DeliveryOutcome.NoRoomForBody =>
            ("Not stored: ghfe could not take it", "GitHub got an error answer and will not retry: redeliver it (Recent Deliveries, or ghfe redeliver) once ghfe is healthy."),
        var forwarded when forwarded.IsForwarded() =>
            ("Handed to staging", "This repository is a staging one: its deliveries go to the staging ghfe, which holds the job."),
        var failed when failed.IsForwardFailure() =>
            ("Not handed to staging: staging did not take it", "This repository is a staging one. GitHub got a 502 and will not retry: redeliver it once staging is healthy; its outcome below says what staging did."),
        _ => ("Not stored: the delivery was refused", "Its outcome below says why; GitHub does not retry it."),
    };

    /// <summary>A banned job: explained when its owner is the one banned (the log does not keep the sender).</summary>
    private static Explanation? ExplainBan(IReadOnlyList<DeliveryEntry> deliveries, RoutingTable routing, Admission? admission) =>
        admission is not null && deliveries.LastOrDefault(d => d.OwnerId is not null && d.Repository is not null) is { } latest
            && admission.BannedEntities.Contains(latest.OwnerId!.Value)
            ? Explainer.Explain(routing, latest.OwnerId.Value, latest.Repository!, latest.Labels ?? [], admission)
            : null;

    /// <summary>A job no rule routed: explain the labels of its latest delivery that says whose it is.</summary>
    private static Explanation? Explain(IReadOnlyList<DeliveryEntry> deliveries, RoutingTable routing) =>
        deliveries.LastOrDefault(d => d.OwnerId is not null && d.Repository is not null && d.Labels is not null) is { } latest
            ? Explainer.Explain(routing, latest.OwnerId!.Value, latest.Repository!, latest.Labels!)
            : null;
}
