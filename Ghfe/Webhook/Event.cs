using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 2: only <c>workflow_job</c> goes on; a ping is answered, every other event ignored.</summary>
public static class Event
{
    public const string Header = "X-GitHub-Event";

    public const string DeliveryHeader = "X-GitHub-Delivery";

    public static Either<Rejection, WebhookRequest> RequireWorkflowJob(WebhookRequest request) => request.Event switch
    {
        "workflow_job" => Right<Rejection, WebhookRequest>(request),
        "ping" => new Rejection.Ping(),
        var other => new Rejection.IgnoredEvent(other ?? string.Empty),
    };
}
