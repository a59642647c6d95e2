namespace Ghfe.Webhook;

/// <summary>The values of <c>status_enum</c>, in the order a job moves through them.</summary>
public enum JobStatus
{
    Pending,
    Running,
    Completed,
    Failed,
}

public static class JobStatusText
{
    public static string ToSql(this JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static JobStatus FromSql(string text) => text switch
    {
        "pending" => JobStatus.Pending,
        "running" => JobStatus.Running,
        "completed" => JobStatus.Completed,
        "failed" => JobStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "not a status_enum value"),
    };

    /// <summary>
    /// Status is forward-only: pending → running → completed, and <c>failed</c> (set by the
    /// scheduler) is terminal. A move to <paramref name="target"/> may start only from these.
    /// </summary>
    public static IReadOnlyList<JobStatus> MayAdvanceFrom(this JobStatus target) => target switch
    {
        JobStatus.Running => [JobStatus.Pending],
        JobStatus.Completed => [JobStatus.Pending, JobStatus.Running],
        _ => [],
    };
}
