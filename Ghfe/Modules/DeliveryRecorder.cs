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
/// The line of a job no rule routed says why, as its page does (the rules in force, explained);
/// so does the line of one refused before routing (a ban, a repository that is not public);
/// and a delivery through the wrong App (or an unknown one) gets a line of its own that says so.
/// </summary>
public sealed class DeliveryRecorder(DeliveryLog deliveries, LiveRouting routing, AppIds apps, TimeProvider clock, ILogger<DeliveryRecorder> log)
{
    /// <param name="deliveryId">X-GitHub-Delivery, as the edge read it (empty when missing).</param>
    public void Record(HttpRequest request, string deliveryId, DeliverySummary summary, DeliveryAnswer answer, TimeSpan elapsed)
    {
        var eventName = request.Headers[Event.Header].ToString();
        var action = answer.Action ?? summary.Action;
        var job = answer.Job ?? summary.JobId;

        // Headers are anyone's: the App id is only taken from a delivery whose signature held.
        var appId = answer.Unsigned ? null : AppFits.AppIdOf(request.Headers[AppFits.TargetTypeHeader], request.Headers[Headers.AppId]);
        var app = AppFits.Of(appId, summary.OwnerType, apps);

        // summary.Action is read from a verified body only, and DeliveryMetrics keeps it to known values.
        DeliveryMetrics.Count(eventName, action, answer.Outcome, app);
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
            source, AppId: appId, OwnerType: summary.OwnerType is { Length: <= 100 } ownerType ? ownerType : null, InstallationId: summary.InstallationId));
        if (app is AppFit.Wrong or AppFit.Unknown)
        {
            log.LogWarning(
                "delivery={Delivery} job={Job} owner={Owner} github_app={App}: {Problem}",
                OrDash(deliveryId), job?.ToString(CultureInfo.InvariantCulture) ?? "-", OrDash(summary.OwnerLogin), app.Wire(),
                app == AppFit.Unknown ? $"App {appId} is neither the organization App ({apps.Organization}) nor the personal App ({apps.Personal})" : $"App {appId} does not fit a {summary.OwnerType} account");
        }

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
            answer.Why ?? (answer.Status >= 400 ? answer.Text : answer.Note ?? IgnoredWhy(answer.Outcome, summary) ?? "-"));
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
