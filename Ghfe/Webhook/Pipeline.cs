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
        delivery.Bind(Headers.Required).Bind(request => Signature.Verify(settings.Secrets, request)).Match(
            Right: verified => Event.IsPing(verified) ? Pinged : Decide(verified, settings),
            Left: rejection => new Decided(rejection, DeliverySummary.Empty));

    /// <summary>After stage 1 (headers and signature): nothing of an unverified body is parsed.</summary>
    private static Decided Decide(WebhookRequest verified, WebhookSettings settings)
    {
        var payload = Event.RequireWorkflowJob(verified).Bind(static workflowJob => Payload.Parse(workflowJob.Body));
        return new Decided(
            payload.Bind(body => Command(body, settings)),
            payload.Match(Right: DeliverySummary.Of, Left: _ => DeliverySummary.Empty));
    }

    /// <summary>A staging repository's delivery goes to staging whatever its action; any other is routed.</summary>
    private static Either<Rejection, DeliveryCommand> Command(Payload payload, WebhookSettings settings) =>
        settings.Forwarding.TargetFor(payload).Match(
            Some: staging => Right<Rejection, DeliveryCommand>(new DeliveryCommand.Forward(staging, payload.Body)),
            None: () => Route(payload, settings.Routing).Map(static command => (DeliveryCommand)new DeliveryCommand.Store(command)));

    /// <summary>
    /// Stages 3–5, then the route. After the action, each stage reads the payload on its own;
    /// the first refused, in this order, ends the road.
    /// </summary>
    public static Either<Rejection, JobCommand> Route(Payload payload, RoutingTable routing) =>
        JobAction.Read(payload)
            .Bind(target => JsonFields.FirstRefused(
                Entity.Read(payload),
                WorkflowJob.Id(payload),
                Labels.Read(payload.WorkflowJob),
                WorkflowJob.HtmlUrl(payload),
                Installation.Id(payload, target),
                (entity, jobId, labels, htmlUrl, installationId) => new UnroutedJob(target, entity, jobId, labels, htmlUrl.IfNoneUnsafe((string?)null), installationId)))
            .Bind(job => Router.Resolve(routing, job.Entity.OwnerId, job.Entity.RepositoryFullName, job.SortedLabels)
                .ToEither((Rejection)new Rejection.NoMatchingRule(job.JobId, job.Labels))
                .Map(job.RoutedTo));
}
