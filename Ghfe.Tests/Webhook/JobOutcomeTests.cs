using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

public class JobOutcomeTests
{
    private static readonly JobRecord Job = new(42, "Organization", 1, "org", "org/repo", 7, ["ubuntu-24.04-riscv"], "scw-em-rv1", "image", null);

    public static TheoryData<JobOutcome, JobCommand, string> Texts => new()
    {
        { new JobOutcome.Stored(), new JobCommand.Enqueue(Job), "Job 42 stored." },
        { new JobOutcome.AlreadyExists(), new JobCommand.Enqueue(Job), "Job 42 already exists." },
        { new JobOutcome.Advanced(JobStatus.Pending), new JobCommand.MarkRunning(Job), "Job 42 marked running (was pending)." },
        { new JobOutcome.Advanced(JobStatus.Running), new JobCommand.MarkCompleted(Job), "Job 42 completed (was running)." },
        { new JobOutcome.Advanced(JobStatus.Pending), new JobCommand.MarkCompleted(Job), "Job 42 completed (was pending)." },
        { new JobOutcome.Unchanged(JobStatus.Completed), new JobCommand.MarkRunning(Job), "Job 42 unchanged (is completed)." },
        { new JobOutcome.Unchanged(JobStatus.Failed), new JobCommand.MarkCompleted(Job), "Job 42 unchanged (is failed)." },
        { new JobOutcome.RecordedUnseen(), new JobCommand.MarkRunning(Job), "Job 42 recorded as running (no queued event seen)." },
        { new JobOutcome.RecordedUnseen(), new JobCommand.MarkCompleted(Job), "Job 42 recorded as completed (no queued event seen)." },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Each_outcome_answers_with_the_contracts_text(JobOutcome outcome, JobCommand command, string text)
    {
        Assert.Equal(text, outcome.TextFor(command));
    }

    [Theory]
    [InlineData(JobStatus.Running, new[] { JobStatus.Pending })]
    [InlineData(JobStatus.Completed, new[] { JobStatus.Pending, JobStatus.Running })]
    [InlineData(JobStatus.Pending, new JobStatus[0])]
    [InlineData(JobStatus.Failed, new JobStatus[0])]
    public void Status_only_moves_forward_and_failed_is_terminal(JobStatus target, JobStatus[] from)
    {
        Assert.Equal(from, target.MayAdvanceFrom());
    }
}
