using LanguageExt;

namespace Ghfe.Webhook;

/// <summary>The job's own fields of <c>workflow_job</c>, besides its labels.</summary>
public static class WorkflowJob
{
    public static Either<Rejection, long> Id(Payload payload) =>
        JsonFields.Object(payload.WorkflowJob, "workflow_job").Bind(job => JsonFields.Id(job["id"], "workflow_job.id"));

    /// <summary>The job's page on GitHub; optional.</summary>
    public static Either<Rejection, Option<string>> HtmlUrl(Payload payload) =>
        JsonFields.OptionalString(payload.WorkflowJob["html_url"], "workflow_job.html_url", FieldLimits.UrlLength);
}
