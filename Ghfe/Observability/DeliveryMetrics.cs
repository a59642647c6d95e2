namespace Ghfe.Observability;

/// <summary>
/// Turns one answered delivery into counter increments. Label values come from closed sets:
/// the event and action headers of an unverified request are anyone's to choose.
/// </summary>
public static class DeliveryMetrics
{
    public static void Count(string eventName, string? action, string outcome)
    {
        GhfeMetrics.Deliveries.WithLabels(Known(eventName, "workflow_job", "ping"), action ?? "-", outcome).Inc();
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
