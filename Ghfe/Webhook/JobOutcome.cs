namespace Ghfe.Webhook;

/// <summary>What executing a <see cref="JobCommand"/> found and did; it decides the answer's text.</summary>
public abstract record JobOutcome
{
    private JobOutcome() { }

    /// <summary>queued, and the row is new: the scheduler was notified.</summary>
    public sealed record Stored : JobOutcome;

    /// <summary>queued, and the row was already there (in any status).</summary>
    public sealed record AlreadyExists : JobOutcome;

    /// <summary>The row moved forward from <paramref name="Previous"/>.</summary>
    public sealed record Advanced(JobStatus Previous) : JobOutcome;

    /// <summary>Forward-only: the row already was at or past the target, or failed.</summary>
    public sealed record Unchanged(JobStatus Current) : JobOutcome;

    /// <summary>in_progress or completed for a job never seen: the row was created in that state.</summary>
    public sealed record RecordedUnseen : JobOutcome;

    public DeliveryOutcome Outcome => this switch
    {
        Stored => DeliveryOutcome.Stored,
        AlreadyExists => DeliveryOutcome.AlreadyExists,
        Advanced => DeliveryOutcome.Advanced,
        Unchanged => DeliveryOutcome.Unchanged,
        _ => DeliveryOutcome.RecordedUnseen,
    };

    /// <summary>The answer's text (README, "What it answers").</summary>
    public string TextFor(JobCommand command)
    {
        var id = command.Job.JobId;
        return this switch
        {
            Stored => $"Job {id} stored.",
            AlreadyExists => $"Job {id} already exists.",
            Advanced a when command is JobCommand.MarkRunning => $"Job {id} marked running (was {a.Previous.ToSql()}).",
            Advanced a => $"Job {id} completed (was {a.Previous.ToSql()}).",
            Unchanged u => $"Job {id} unchanged (is {u.Current.ToSql()}).",
            _ => $"Job {id} recorded as {command.Target.ToSql()} (no queued event seen).",
        };
    }
}
