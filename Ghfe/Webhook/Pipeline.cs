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
    public static Either<Rejection, JobCommand> Decide(WebhookRequest request, WebhookSettings settings) =>
        Verify(request, settings).Bind(_ => Route(request.Body, settings.Routing));

    /// <summary>Stages 1–2: the headers are there, the signature holds, and the event is <c>workflow_job</c>.</summary>
    public static Either<Rejection, Unit> Verify(WebhookRequest request, WebhookSettings settings) =>
        from eventName in Required(request.Event, Event.Header)
        from signature in Required(request.Signature, Signature.Header)
        from verified in Signature.Verify(settings.Secrets, request.Body.Span, signature)
        from workflowJob in Event.RequireWorkflowJob(eventName)
        select unit;

    /// <summary>Stages 3–5 and routing, over a verified <c>workflow_job</c> body.</summary>
    public static Either<Rejection, JobCommand> Route(ReadOnlyMemory<byte> body, RoutingTable routing)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new Rejection.InvalidPayload("body is not valid JSON");
        }

        // Every stage below runs eagerly inside this scope: nothing outlives the document.
        using (document)
        {
            var root = document.RootElement;
            return
                from isObject in JsonFields.RequireObjectRoot(root)
                from target in JobAction.Parse(root)
                from entity in Entity.Parse(root)
                from workflowJob in JsonFields.Object(root, "workflow_job", "workflow_job")
                from jobId in JsonFields.Id(workflowJob, "id", "workflow_job.id")
                from labels in Labels.Parse(workflowJob)
                from htmlUrl in JsonFields.OptionalString(workflowJob, "html_url", "workflow_job.html_url")
                from installationId in InstallationId(root, target)
                let sorted = Labels.Sorted(labels)
                from destination in Router.Resolve(routing, entity.OwnerId, entity.RepositoryFullName, sorted)
                    .ToEither<Rejection>(() => new Rejection.NoMatchingRule(jobId, labels))
                let job = new JobRecord(
                    jobId,
                    entity.Type,
                    entity.EntityId,
                    entity.OwnerLogin,
                    entity.RepositoryFullName,
                    installationId,
                    sorted,
                    destination.Pool,
                    destination.Image,
                    htmlUrl.IfNoneUnsafe((string?)null))
                select Command(target, job);
        }
    }

    /// <summary>Required on queued; a later event for a job never seen may lack it, and stores 0.</summary>
    private static Either<Rejection, long> InstallationId(JsonElement root, JobStatus target) =>
        target == JobStatus.Pending
            ? JsonFields.Object(root, "installation", "installation")
                .Bind(installation => JsonFields.Id(installation, "id", "installation.id"))
            : JsonFields.OptionalObject(root, "installation", "installation")
                .Bind(installation => installation.Match(
                    Some: found => JsonFields.Id(found, "id", "installation.id"),
                    None: () => Right<Rejection, long>(0)));

    private static JobCommand Command(JobStatus target, JobRecord job) => target switch
    {
        JobStatus.Pending => new JobCommand.Enqueue(job),
        JobStatus.Running => new JobCommand.MarkRunning(job),
        _ => new JobCommand.MarkCompleted(job),
    };

    private static Either<Rejection, string> Required(string? header, string name) =>
        string.IsNullOrEmpty(header)
            ? new Rejection.MissingHeader(name)
            : Right<Rejection, string>(header);
}
