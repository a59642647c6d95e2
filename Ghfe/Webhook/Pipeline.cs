using Ghfe.Routing;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// A delivery in, a decision out: signature → event → action → entity → labels → route.
/// Pure: no I/O, no clock, no logging; the first failing stage ends the road.
/// </summary>
public static class Pipeline
{
    /// <summary>
    /// What the edge calls for every delivery: the body as read (or refused while reading, as too
    /// large), the headers, and the routing in force.
    /// </summary>
    public static Decided Decide(Either<Rejection, WebhookRequest> delivery, WebhookSettings settings)
    {
        var payload = delivery.Bind(request => Verify(request, settings.Secrets));
        return new Decided(
            payload.Bind(body => Command(body, settings)),
            payload.Match(Right: DeliverySummary.Of, Left: _ => DeliverySummary.Empty));
    }

    /// <summary>Stages 1–2: what may be read at all. Nothing of an unverified body is parsed.</summary>
    private static Either<Rejection, Payload> Verify(WebhookRequest request, IReadOnlyList<byte[]> secrets) =>
        from eventName in Headers.Required(request.Event, Event.Header)
        from claimed in Headers.Required(request.Signature, Signature.Header)
        from signed in Signature.Verify(secrets, request.Body.Span, claimed)
        from workflowJob in Event.RequireWorkflowJob(eventName)
        from payload in Payload.Parse(request.Body)
        select payload;

    /// <summary>A staging repository's delivery goes to staging whatever its action; any other is routed.</summary>
    private static Either<Rejection, DeliveryCommand> Command(Payload payload, WebhookSettings settings) =>
        settings.Forwarding.TargetFor(payload).Match(
            Some: staging => Right<Rejection, DeliveryCommand>(new DeliveryCommand.Forward(staging, payload.Body)),
            None: () => Route(payload, settings.Routing).Map(command => (DeliveryCommand)new DeliveryCommand.Store(command)));

    /// <summary>Stages 3–5 and the route, in the order the fields are checked.</summary>
    public static Either<Rejection, JobCommand> Route(Payload payload, RoutingTable routing) =>
        from target in JobAction.Read(payload)
        from entity in Entity.Read(payload)
        from jobId in WorkflowJob.Id(payload)
        from labels in Labels.Read(payload.WorkflowJob)
        from htmlUrl in WorkflowJob.HtmlUrl(payload)
        from installationId in Installation.Id(payload, target)
        let sorted = Labels.Sorted(labels)
        from destination in Router.Resolve(routing, entity.OwnerId, entity.RepositoryFullName, sorted)
            .ToEither(() => (Rejection)new Rejection.NoMatchingRule(jobId, labels))
        select JobCommand.For(target, new JobRecord(
            jobId,
            entity.Type,
            entity.EntityId,
            entity.OwnerLogin,
            entity.RepositoryFullName,
            installationId,
            sorted,
            destination.Pool,
            destination.Image,
            htmlUrl.IfNoneUnsafe((string?)null)));
}
