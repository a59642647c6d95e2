using System.Globalization;
using Ghfe.Configuration;
using Ghfe.Observability;
using Ghfe.Routing;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Modules;

/// <summary>
/// What stays of an answered delivery: its counters, its row in the delivery log, and one log
/// line. Nothing from an unverified body is recorded: only its id and where it came from. A
/// request refused before its signature held is counted, every one, but shares its row and
/// log line with the others of its minute, source and outcome: anyone can send a million.
/// The line of a job no rule routed says why, as its page does (the rules in force, explained).
/// </summary>
public sealed class DeliveryRecorder(DeliveryLog deliveries, LiveRouting routing, TimeProvider clock, ILogger<DeliveryRecorder> log)
{
    /// <param name="deliveryId">X-GitHub-Delivery, as the edge read it (empty when missing).</param>
    public void Record(HttpRequest request, string deliveryId, DeliverySummary summary, DeliveryAnswer answer, TimeSpan elapsed)
    {
        var eventName = request.Headers[Event.Header].ToString();
        var action = answer.Action ?? summary.Action;
        var job = answer.Job ?? summary.JobId;

        // summary.Action is read from a verified body only, and DeliveryMetrics keeps it to known values.
        DeliveryMetrics.Count(eventName, action, answer.Outcome);
        GhfeMetrics.AnswerSeconds.Observe(elapsed.TotalSeconds);
        var source = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        if (answer.Unsigned)
        {
            deliveries.Count(new UnsignedRequest(
                clock.GetUtcNow(), answer.Outcome, answer.Status, source, Clip(deliveryId), Clip(request.Headers.UserAgent.ToString()), elapsed.TotalMilliseconds));
            return;
        }

        deliveries.Record(new DeliveryEntry(
            Clip(deliveryId), clock.GetUtcNow(), Clip(eventName), action, job,
            summary.OwnerId, summary.OwnerLogin, summary.Repository, summary.Labels, answer.Outcome, answer.Status, elapsed.TotalMilliseconds,
            source, InstallationId: summary.InstallationId));

        log.Log(
            answer.Status >= 400 || answer.Why is not null ? LogLevel.Warning : LogLevel.Information,
            "delivery={Delivery} event={Event} action={Action} job={Job} outcome={Outcome} status={Status} elapsed_ms={Elapsed:F1} why={Why}",
            OrDash(deliveryId),
            OrDash(eventName),
            OrDash(action),
            job?.ToString(CultureInfo.InvariantCulture) ?? "-",
            answer.Outcome.Wire(),
            answer.Status,
            elapsed.TotalMilliseconds,
            answer.Why ?? (answer.Status >= 400 ? answer.Text : IgnoredWhy(answer.Outcome, summary) ?? "-"));
    }

    private string? IgnoredWhy(DeliveryOutcome outcome, DeliverySummary summary) =>
        outcome == DeliveryOutcome.NoMatchingRule && summary is { OwnerId: { } owner, Repository: { } repository, Labels: { } labels }
            ? Explainer.Reason(Explainer.Explain(routing.Current.Webhook.Routing, owner, repository, labels))
            : null;

    /// <summary>Headers are anyone's to fill: keep what goes into the table short.</summary>
    private static string? Clip(string value)
    {
        var clean = value.Replace("\0", string.Empty, StringComparison.Ordinal);
        return clean.Length == 0 ? null : clean.Length > 100 ? clean[..100] : clean;
    }

    private static string OrDash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
