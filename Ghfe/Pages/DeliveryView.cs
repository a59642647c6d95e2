using System.Text.Json.Serialization;
using Ghfe.Routing;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Pages;

/// <summary>
/// /deliveries/{id}: what became of one delivery. Every row the log holds under its id (GitHub's
/// redeliveries keep the id), oldest first, and for one no rule routed, why.
/// <see cref="Known"/> is false when the log holds none.
/// </summary>
public sealed record DeliveryView(
    string Environment,
    string DeliveryId,
    bool Known,
    IReadOnlyList<DeliveryLine> Deliveries,
    Explanation? Explanation,
    [property: JsonIgnore] string? ExplainUrl)
{
    /// <summary>When its deliveries came through the wrong App (or an unknown one): what to do, said at the top.</summary>
    [JsonIgnore]
    public AppAdvice? WrongApp => AppAdvice.First(Deliveries);

    /// <summary>The explanation in one line, the one the delivery's log line gives.</summary>
    [JsonIgnore]
    public string? Reason => Explanation is null ? null : Explainer.Reason(Explanation);

    /// <param name="admission">Who the routing file refuses: a delivery refused for its owner is explained by it.</param>
    public static DeliveryView Build(bool prod, string deliveryId, IReadOnlyList<DeliveryEntry> deliveries, RoutingTable routing, AppIds apps, Admission? admission = null)
    {
        var latest = deliveries.Count > 0 ? new DeliveryLine(deliveries[^1], apps) : null;
        var explanation = latest switch
        {
            { Outcome: DeliveryOutcome.NoMatchingRule, OwnerId: { } owner, Repository: { } repository, Labels: { } labels } =>
                Explainer.Explain(routing, owner, repository, labels),
            { Outcome: DeliveryOutcome.Banned, OwnerId: { } owner, Repository: { } repository } when admission?.BannedEntities.Contains(owner) == true =>
                Explainer.Explain(routing, owner, repository, latest.Labels ?? [], admission),
            _ => null,
        };
        return new DeliveryView(
            Layout.EnvironmentOf(prod), deliveryId, deliveries.Count > 0, [.. deliveries.Select(entry => new DeliveryLine(entry, apps))], explanation, latest?.ExplainUrl);
    }
}
