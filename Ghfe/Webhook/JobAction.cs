using System.Diagnostics.CodeAnalysis;

namespace Ghfe.Webhook;

/// <summary>Stage 3: the action, as the status it asks for. Other actions (waiting, …) are ignored.</summary>
public static class JobAction
{
    public static bool TryParse(Payload payload, out JobStatus target, [NotNullWhen(false)] out Rejection? rejection)
    {
        target = default;
        if (!JsonFields.TryString(payload.Action, "action", out var action, out rejection))
        {
            return false;
        }

        switch (action)
        {
            case "queued":
                target = JobStatus.Pending;
                return true;
            case "in_progress":
                target = JobStatus.Running;
                return true;
            case "completed":
                target = JobStatus.Completed;
                return true;
            default:
                rejection = new Rejection.IgnoredAction(action);
                return false;
        }
    }
}
