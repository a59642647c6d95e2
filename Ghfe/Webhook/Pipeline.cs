using Ghfe.Routing;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// A delivery in, a decision out: signature → event → admission (bans, non-public) → staging →
/// action → entity → labels → route. Pure: no I/O, no clock, no logging; the first failing stage ends the road.
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
                : Event.IsPing(verified) ? Pinged : Decide(verified, settings, () => Payload.Parse(verified.Body)),
            Left: rejection => new Decided(rejection, DeliverySummary.Empty));

    /// <summary>
    /// After stage 1 (headers and signature): nothing of an unverified body is parsed, and the body
    /// of an event ghfe ignores is not parsed at all (<paramref name="parse"/> is called only when needed).
    /// </summary>
    private static Decided Decide(WebhookRequest verified, WebhookSettings settings, Func<Either<Rejection, Payload>> parse)
    {
        if (InstallationAccount.IsInstallationEvent(verified.Event))
        {
            return InstallationEvent(verified.Event!, parse());
        }

        var payload = Event.RequireWorkflowJob(verified).Bind(_ => parse());
        return new Decided(
            payload.Bind(body => Command(body, settings)),
            payload.Match(Right: DeliverySummary.Of, Left: _ => DeliverySummary.Empty));
    }

    /// <summary>An installation event: its account read for the log, answered <c>&lt;event&gt;.&lt;action&gt; logged</c>.</summary>
    private static Decided InstallationEvent(string eventName, Either<Rejection, Payload> payload)
    {
        var account = payload.Bind(body => InstallationAccount.Read(eventName, body));
        return new Decided(
            payload.Bind(body => account.Map(read => (DeliveryCommand)new DeliveryCommand.LogInstallation(InstallationAccount.EventName(eventName, body), read, body.Body))),
            payload.Match(
                Right: body => DeliverySummary.Of(body) with
                {
                    OwnerId = account.MatchUnsafe(Right: read => read.EntityId, Left: _ => null),
                    OwnerLogin = account.MatchUnsafe(Right: read => read.EntityName, Left: _ => null),
                },
                Left: _ => DeliverySummary.Empty));
    }

    /// <summary>
    /// A banned owner or sender, or a repository that is not public, is refused first; then a
    /// staging repository's delivery goes to staging whatever its action; any other is routed.
    /// </summary>
    private static Either<Rejection, DeliveryCommand> Command(Payload payload, WebhookSettings settings) =>
        Admit(payload, settings.Admission).Bind(admitted => settings.Forwarding.TargetFor(admitted).Match(
            Some: staging => Right<Rejection, DeliveryCommand>(new DeliveryCommand.Forward(staging, admitted.Body)),
            None: () => Route(admitted, settings.Routing, settings.Generation).Map(static command => (DeliveryCommand)new DeliveryCommand.Store(command))));

    /// <summary>
    /// After the entity: a delivery whose owner cannot be read is not refused here, and the
    /// stages after say what is wrong with it (or staging does, as before).
    /// </summary>
    public static Either<Rejection, Payload> Admit(Payload payload, Admission admission) =>
        !admission.RefusesAny ? Right<Rejection, Payload>(payload) : Entity.Read(payload).Match(
            Right: entity => admission.Check(entity.OwnerId, Sender(payload), payload.Repository["visibility"].Text).Match(
                Some: refusal => Left<Rejection, Payload>(new Rejection.NotAdmitted(refusal)),
                None: () => Right<Rejection, Payload>(payload)),
            Left: _ => Right<Rejection, Payload>(payload));

    private static long? Sender(Payload payload) =>
        payload.Sender["id"] is { Kind: System.Text.Json.JsonTokenType.Number, PlainDigits: true, Int64: { } id } ? id : null;

    /// <summary>
    /// The control-plane generation decides alike, and names the delivery's <c>installation_events</c>
    /// row: a job command carries it (it commits with the job), any other decision holds it. A body
    /// that is no JSON object has no row, as there. The body is parsed once, for both.
    /// </summary>
    private static Decided Recorded(WebhookRequest verified, WebhookSettings settings)
    {
        var parsed = Payload.Parse(verified.Body);
        var decided = Event.IsPing(verified) ? Pinged : Decide(verified, settings, () => parsed);
        if (decided.Decision.Case is DeliveryCommand.LogInstallation installation)
        {
            return decided with { Event = InstallationEvents.ForInstallation(verified, installation) };
        }

        if (verified.Event != Event.WorkflowJob)
        {
            return parsed.IsRight ? decided with { Event = InstallationEvents.Of(verified, verified.Event!) } : decided;
        }

        if (parsed.Case is not Payload payload)
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
