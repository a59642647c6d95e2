using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 2: only <c>workflow_job</c> goes on; a ping is answered, every other event ignored.</summary>
public static class Event
{
    public const string Header = "X-GitHub-Event";

    public const string DeliveryHeader = "X-GitHub-Delivery";

    public static Either<Rejection, Unit> RequireWorkflowJob(string name) => name switch
    {
        "workflow_job" => Right<Rejection, Unit>(unit),
        "ping" => new Rejection.Ping(),
        _ => new Rejection.IgnoredEvent(name),
    };
}
