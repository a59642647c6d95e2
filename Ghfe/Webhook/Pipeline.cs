using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
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
    private static readonly Rejection NotJson = new Rejection.InvalidPayload("body is not valid JSON");

    public static Either<Rejection, JobCommand> Decide(WebhookRequest request, WebhookSettings settings) =>
        Verify(request, settings).Bind(_ => Route(request.Body, settings.Routing));

    /// <summary>Stages 1–2: the headers are there, the signature holds, and the event is <c>workflow_job</c>.</summary>
    public static Either<Rejection, Unit> Verify(WebhookRequest request, WebhookSettings settings)
    {
        if (string.IsNullOrEmpty(request.Event))
        {
            return new Rejection.MissingHeader(Event.Header);
        }

        if (string.IsNullOrEmpty(request.Signature))
        {
            return new Rejection.MissingHeader(Signature.Header);
        }

        return Signature.Verify(settings.Secrets, request.Body.Span, request.Signature).Bind(_ => Event.RequireWorkflowJob(request.Event));
    }

    /// <summary>Stages 3–5 and routing, over a verified <c>workflow_job</c> body.</summary>
    public static Either<Rejection, JobCommand> Route(ReadOnlyMemory<byte> body, RoutingTable routing) =>
        Payload.Read(body.Span) is { } payload ? Route(payload, routing) : NotJson;

    /// <summary>
    /// <see cref="Route"/>, and what the body says about itself for the delivery log, read from
    /// the same parse.
    /// </summary>
    public static (Either<Rejection, JobCommand> Decision, DeliverySummary Summary) RouteAndSummarise(ReadOnlyMemory<byte> body, RoutingTable routing) =>
        Payload.Read(body.Span) is { } payload
            ? (Route(payload, routing), DeliverySummary.Of(payload))
            : (NotJson, DeliverySummary.Empty);

    /// <summary>The stages in order; the first to refuse ends the road.</summary>
    private static Either<Rejection, JobCommand> Route(Payload payload, RoutingTable routing)
    {
        if (payload.Root != JsonTokenType.StartObject)
        {
            return new Rejection.InvalidPayload("body must be a JSON object");
        }

        var workflowJob = payload.WorkflowJob;
        if (!JobAction.TryParse(payload, out var target, out var rejection)
            || !Entity.TryParse(payload, out var entity, out rejection)
            || !JsonFields.TryObject(workflowJob, "workflow_job", out rejection)
            || !JsonFields.TryId(workflowJob["id"], "workflow_job.id", out var jobId, out rejection)
            || !Labels.TryParse(workflowJob, out var labels, out rejection)
            || !JsonFields.TryOptionalString(workflowJob["html_url"], "workflow_job.html_url", out var htmlUrl, out rejection)
            || !TryInstallationId(payload.Installation, target, out var installationId, out rejection))
        {
            return rejection;
        }

        var sorted = Labels.Sorted(labels);
        if (Router.Resolve(routing, entity.OwnerId, entity.RepositoryFullName, sorted).Case is not Destination destination)
        {
            return new Rejection.NoMatchingRule(jobId, labels);
        }

        return Command(target, new JobRecord(
            jobId,
            entity.Type,
            entity.EntityId,
            entity.OwnerLogin,
            entity.RepositoryFullName,
            installationId,
            sorted,
            destination.Pool,
            destination.Image,
            htmlUrl));
    }

    /// <summary>Required on queued; a later event for a job never seen may lack it, and stores 0.</summary>
    private static bool TryInstallationId(Payload.Node installation, JobStatus target, out long id, [NotNullWhen(false)] out Rejection? rejection)
    {
        id = 0;
        if (target == JobStatus.Pending)
        {
            return JsonFields.TryObject(installation, "installation", out rejection)
                && JsonFields.TryId(installation["id"], "installation.id", out id, out rejection);
        }

        return JsonFields.TryOptionalObject(installation, "installation", out rejection)
            && (installation.Absent || JsonFields.TryId(installation["id"], "installation.id", out id, out rejection));
    }

    private static JobCommand Command(JobStatus target, JobRecord job) => target switch
    {
        JobStatus.Pending => new JobCommand.Enqueue(job),
        JobStatus.Running => new JobCommand.MarkRunning(job),
        _ => new JobCommand.MarkCompleted(job),
    };
}
