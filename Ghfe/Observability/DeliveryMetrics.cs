namespace Ghfe.Observability;

/// <summary>
/// Turns one answered delivery into counter increments. Label values come from closed sets:
/// the event and action headers of an unverified request are anyone's to choose.
/// </summary>
public static class DeliveryMetrics
{
    /// <summary>The actions GitHub sends with workflow_job; any other reads as "other", none as "-".</summary>
    private static readonly string[] Actions = ["queued", "in_progress", "completed", "waiting"];

    /// <param name="action">The action of a verified body (or of the command); null when nothing verified was read.</param>
    public static void Count(string eventName, string? action, string outcome)
    {
        GhfeMetrics.Deliveries.WithLabels(Known(eventName, "workflow_job", "ping"), Known(action ?? string.Empty, Actions), outcome).Inc();
        switch (outcome)
        {
            case "invalid_signature":
                GhfeMetrics.SignatureFailures.Inc();
                break;
            case "already_exists":
                GhfeMetrics.Duplicates.Inc();
                break;
            case "recorded_unseen":
                GhfeMetrics.OutOfOrder.Inc();
                break;
            case "stored":
                GhfeMetrics.Notifies.Inc();
                break;
            case "spooled":
                GhfeMetrics.Spooled.Inc();
                break;
            case var forwarded when forwarded.StartsWith("forward", StringComparison.Ordinal):
                GhfeMetrics.Forwards.WithLabels(forwarded).Inc();
                break;
        }
    }

    private static string Known(string value, params string[] known) =>
        known.Contains(value, StringComparer.Ordinal) ? value : string.IsNullOrEmpty(value) ? "-" : "other";
}
