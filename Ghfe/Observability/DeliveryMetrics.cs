using Ghfe.Webhook;

namespace Ghfe.Observability;

/// <summary>
/// Turns one answered delivery into counter increments. Label values come from closed sets:
/// the event and action headers of an unverified request are anyone's to choose.
/// </summary>
public static class DeliveryMetrics
{
    /// <summary>The actions GitHub sends with workflow_job and the installation events; any other reads as "other", none as "-".</summary>
    private static readonly string[] Actions =
        ["queued", "in_progress", "completed", "waiting", "created", "deleted", "suspend", "unsuspend", "new_permissions_accepted", "added", "removed", "renamed"];

    /// <param name="action">The action of a verified body (or of the command); null when nothing verified was read.</param>
    /// <param name="app">Whether the App the delivery came through fits its account; <see cref="AppFit.NoApp"/> when unsigned.</param>
    public static void Count(string eventName, string? action, DeliveryOutcome outcome, AppFit app)
    {
        GhfeMetrics.Deliveries.WithLabels(Known(eventName, Event.WorkflowJob, Event.Ping, InstallationAccount.Installation, InstallationAccount.InstallationRepositories, InstallationAccount.InstallationTarget), Known(action ?? string.Empty, Actions), outcome.Wire(), app.Wire()).Inc();
        switch (outcome)
        {
            case DeliveryOutcome.InvalidSignature:
                GhfeMetrics.SignatureFailures.Inc();
                break;
            case DeliveryOutcome.AlreadyExists:
                GhfeMetrics.Duplicates.Inc();
                break;
            case DeliveryOutcome.RecordedUnseen:
                GhfeMetrics.OutOfOrder.Inc();
                break;
            case DeliveryOutcome.Stored:
                GhfeMetrics.JobsStored.Inc();
                break;
            case DeliveryOutcome.Spooled:
                GhfeMetrics.Spooled.Inc();
                break;
            case var forward when forward.IsForward():
                GhfeMetrics.Forwards.WithLabels(forward.Wire()).Inc();
                break;
        }
    }

    private static string Known(string value, params string[] known) =>
        known.Contains(value, StringComparer.Ordinal) ? value : string.IsNullOrEmpty(value) ? "-" : "other";
}
