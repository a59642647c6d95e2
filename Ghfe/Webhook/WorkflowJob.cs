using System.Globalization;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// What the control plane's <c>jobs</c> row keeps of GitHub's own account of the job: its name,
/// its runner (the pod), its conclusion and GitHub's timestamps. Each may be missing.
/// </summary>
public sealed record JobDetails(
    string? Name = null,
    string? RunnerName = null,
    string? Conclusion = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? CompletedAt = null)
{
    public static readonly JobDetails None = new();
}

/// <summary>The job's own fields of <c>workflow_job</c>, besides its labels.</summary>
public static class WorkflowJob
{
    public static Either<Rejection, long> Id(Payload payload) =>
        JsonFields.Object(payload.WorkflowJob, "workflow_job").Bind(job => JsonFields.Id(job["id"], "workflow_job.id"));

    /// <summary>The job's page on GitHub; optional.</summary>
    public static Either<Rejection, Option<string>> HtmlUrl(Payload payload) =>
        JsonFields.OptionalString(payload.WorkflowJob["html_url"], "workflow_job.html_url", FieldLimits.UrlLength);

    /// <summary>
    /// Read in the control-plane generation only (the app's schema has no column for them, and
    /// its answers stay as they were). The texts are checked like every text ghfe stores; a
    /// timestamp that is not RFC 3339 is left out, as the control plane leaves it.
    /// </summary>
    public static Either<Rejection, JobDetails> Details(Payload payload)
    {
        var job = payload.WorkflowJob;
        return
            from name in JsonFields.OptionalString(job["name"], "workflow_job.name", FieldLimits.JobNameLength)
            from runner in JsonFields.OptionalString(job["runner_name"], "workflow_job.runner_name", FieldLimits.NameLength)
            from conclusion in JsonFields.OptionalString(job["conclusion"], "workflow_job.conclusion", FieldLimits.NameLength)
            select new JobDetails(
                NonEmpty(name),
                NonEmpty(runner),
                NonEmpty(conclusion),
                Timestamp(job["created_at"]),
                Timestamp(job["started_at"]),
                Timestamp(job["completed_at"]));
    }

    /// <summary>An empty string is no value: the columns stay NULL, never ''.</summary>
    private static string? NonEmpty(Option<string> text) => text.Filter(static value => value.Length > 0).IfNoneUnsafe((string?)null);

    private static DateTimeOffset? Timestamp(Payload.Field field) =>
        field.Kind == JsonTokenType.String && field.Text is { Length: > 0 } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null;
}
