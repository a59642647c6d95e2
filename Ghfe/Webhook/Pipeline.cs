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
    /// <summary>A verified ping is answered; nothing of its body is read.</summary>
    private static readonly Decided Pinged = new(Right<Rejection, DeliveryCommand>(new DeliveryCommand.Pong()), DeliverySummary.Empty);

    /// <summary>
    /// What the edge calls for every delivery: the body as read (or refused while reading, as too
    /// large), the headers, and the routing in force.
    /// </summary>
    public static Decided Decide(Either<Rejection, WebhookRequest> delivery, WebhookSettings settings) =>
        delivery.Bind(Headers.Required).Bind(request => Signature.Verify(settings.Secrets, request))
            .Bind(verified => Headers.AppIdRequired(verified, settings.Generation)).Match(
            Right: verified => settings.Generation == SchemaGeneration.ControlPlane ? Recorded(verified, settings)
                : Event.IsPing(verified) ? Pinged : Decide(verified, settings),
            Left: rejection => new Decided(rejection, DeliverySummary.Empty));

    /// <summary>After stage 1 (headers and signature): nothing of an unverified body is parsed.</summary>
    private static Decided Decide(WebhookRequest verified, WebhookSettings settings)
    {
        var payload = Event.RequireWorkflowJob(verified).Bind(static workflowJob => Payload.Parse(workflowJob.Body));
        return new Decided(
            payload.Bind(body => Command(body, settings)),
            payload.Match(Right: DeliverySummary.Of, Left: _ => DeliverySummary.Empty));
    }

    /// <summary>
    /// The control-plane generation decides alike, and names the delivery's <c>installation_events</c>
    /// row: a job command carries it (it commits with the job), any other decision holds it. A body
    /// that is no JSON object has no row, as there.
    /// </summary>
    private static Decided Recorded(WebhookRequest verified, WebhookSettings settings)
    {
        var decided = Event.IsPing(verified) ? Pinged : Decide(verified, settings);
        if (verified.Event != Event.WorkflowJob)
        {
            return Payload.Parse(verified.Body).IsRight ? decided with { Event = InstallationEvents.Of(verified, verified.Event!) } : decided;
        }

        var payload = Payload.Parse(verified.Body).Match(Right: static body => body, Left: static _ => (Payload?)null);
        if (payload is null)
        {
            return decided;
        }

        return decided.Decision.Match(
            Right: command => command is DeliveryCommand.Store store
                ? decided with { Decision = new DeliveryCommand.Store(store.Command with { Event = InstallationEvents.ForJob(verified, payload, EventPayload.Trimmed(payload.Body)) }) }
                : decided with { Event = InstallationEvents.ForJob(verified, payload, EventPayload.Trimmed(payload.Body)) },
            Left: rejection => ControlPlaneOutcome.Of(rejection.Outcome) switch
            {
                null => decided,
                ControlPlaneOutcome.IgnoredNoLabel or ControlPlaneOutcome.BannedEntity => decided with { Event = InstallationEvents.ForJob(verified, payload, EventPayload.Minimal(payload)) },
                _ => decided with { Event = InstallationEvents.ForJob(verified, payload, EventPayload.Trimmed(payload.Body)) },
            });
    }

    /// <summary>A staging repository's delivery goes to staging whatever its action; any other is routed.</summary>
    private static Either<Rejection, DeliveryCommand> Command(Payload payload, WebhookSettings settings) =>
        settings.Forwarding.TargetFor(payload).Match(
            Some: staging => Right<Rejection, DeliveryCommand>(new DeliveryCommand.Forward(staging, payload.Body)),
            None: () => Route(payload, settings.Routing, settings.Generation).Map(static command => (DeliveryCommand)new DeliveryCommand.Store(command)));

    /// <summary>
    /// Stages 3–5, then the route. After the action, each stage reads the payload on its own;
    /// the first refused, in this order, ends the road.
    /// </summary>
    public static Either<Rejection, JobCommand> Route(Payload payload, RoutingTable routing) => Route(payload, routing, SchemaGeneration.App);

    /// <summary>As above, for a row of <paramref name="generation"/>'s schema.</summary>
    public static Either<Rejection, JobCommand> Route(Payload payload, RoutingTable routing, SchemaGeneration generation) =>
        JobAction.Read(payload)
            .Bind(target => JsonFields.FirstRefused(
                Entity.Read(payload),
                WorkflowJob.Id(payload),
                Labels.Read(payload.WorkflowJob),
                WorkflowJob.HtmlUrl(payload),
                Installation.Id(payload, target),
                (entity, jobId, labels, htmlUrl, installationId) => new UnroutedJob(
                    target, entity, jobId, labels, htmlUrl.IfNoneUnsafe((string?)null), installationId, entity.EntityIdIn(generation))))
            .Bind(job => generation == SchemaGeneration.App
                ? Right<Rejection, UnroutedJob>(job)
                : WorkflowJob.Details(payload).Map(details => job with { Details = details }))
            .Bind(job => Router.Resolve(routing, job.Entity.OwnerId, job.Entity.RepositoryFullName, job.SortedLabels)
                .ToEither((Rejection)new Rejection.NoMatchingRule(job.JobId, job.Labels))
                .Map(job.RoutedTo));
}
