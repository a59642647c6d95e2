namespace Ghfe.Webhook;

/// <summary>
/// Everything ghfe writes into a <c>jobs</c> row. Labels are already sorted. <paramref name="Details"/>:
/// GitHub's account of the job, for the control plane's columns (none in the app generation, and
/// in a journal line written before it was kept).
/// </summary>
public sealed record JobRecord(
    long JobId,
    string EntityType,
    long EntityId,
    string EntityName,
    string RepoFullName,
    long InstallationId,
    IReadOnlyList<string> Labels,
    string Pool,
    string Image,
    string? HtmlUrl,
    string? Provider = null,
    JobDetails? Details = null);

/// <summary>
/// What a verified, routed <c>workflow_job</c> delivery asks of the store. Every command
/// carries the whole row: an event may be the first one seen for its job.
/// </summary>
public abstract record JobCommand
{
    private JobCommand(JobRecord job, JobStatus target)
    {
        Job = job;
        Target = target;
    }

    public JobRecord Job { get; }

    /// <summary>The status the command moves the row to.</summary>
    public JobStatus Target { get; }

    /// <summary>In the control-plane generation, the delivery's <c>installation_events</c> row, committed with the job's write.</summary>
    public InstallationEvent? Event { get; init; }

    /// <summary>queued: create the row as pending and wake the scheduler, once.</summary>
    public sealed record Enqueue(JobRecord Job) : JobCommand(Job, JobStatus.Pending);

    /// <summary>in_progress: pending → running.</summary>
    public sealed record MarkRunning(JobRecord Job) : JobCommand(Job, JobStatus.Running);

    /// <summary>completed: pending or running → completed.</summary>
    public sealed record MarkCompleted(JobRecord Job) : JobCommand(Job, JobStatus.Completed);

    /// <summary>The command for the status an action asks for.</summary>
    public static JobCommand For(JobStatus target, JobRecord job) => target switch
    {
        JobStatus.Pending => new Enqueue(job),
        JobStatus.Running => new MarkRunning(job),
        _ => new MarkCompleted(job),
    };

    public string Action => this switch
    {
        Enqueue => "queued",
        MarkRunning => "in_progress",
        _ => "completed",
    };
}
