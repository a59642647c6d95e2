using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 2: only <c>workflow_job</c> goes on; a ping is answered, an installation event logged (<see cref="InstallationAccount"/>), every other event ignored.</summary>
public static class Event
{
    public const string Header = "X-GitHub-Event";

    public const string DeliveryHeader = "X-GitHub-Delivery";

    public const string WorkflowJob = "workflow_job";

    /// <summary>GitHub's hello when a hook is created or tested; answered pong.</summary>
    public const string Ping = "ping";

    public static bool IsPing(WebhookRequest request) => request.Event == Ping;

    public static Either<Rejection, WebhookRequest> RequireWorkflowJob(WebhookRequest request) =>
        request.Event == WorkflowJob ? Right<Rejection, WebhookRequest>(request) : new Rejection.IgnoredEvent(request.Event ?? string.Empty);
}
