using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Tests.Store;

public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ghfe-journal-{Guid.NewGuid():N}");

    private static JobCommand Command(long id, JobStatus target)
    {
        var job = new JobRecord(id, "User", 7, "someone", "someone/project", 0, ["a", "ü"], "scw-em-rv1", "image", null);
        return target switch
        {
            JobStatus.Pending => new JobCommand.Enqueue(job),
            JobStatus.Running => new JobCommand.MarkRunning(job),
            _ => new JobCommand.MarkCompleted(job),
        };
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Replays_in_order_what_it_took_and_survives_a_restart()
    {
        var journal = new Journal(_directory);
        await journal.AppendAsync(Command(1, JobStatus.Pending), "d1", CancellationToken.None);
        await journal.AppendAsync(Command(1, JobStatus.Completed), "d2", CancellationToken.None);
        await journal.AppendAsync(Command(2, JobStatus.Running), "d3", CancellationToken.None);

        var reopened = new Journal(_directory);
        var applied = new List<(long, JobStatus, IReadOnlyList<string>)>();
        var count = await reopened.ReplayAsync((command, _) =>
        {
            applied.Add((command.Job.JobId, command.Target, command.Job.Labels));
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(3, journal.Backlog);
        Assert.Equal(3, count);
        Assert.Equal([1L, 1L, 2L], applied.Select(a => a.Item1));
        Assert.Equal([JobStatus.Pending, JobStatus.Completed, JobStatus.Running], applied.Select(a => a.Item2));
        Assert.Equal(["a", "ü"], applied[0].Item3);
        Assert.Equal(0, reopened.Backlog);
        Assert.Empty(Directory.GetFiles(_directory, "*.journal"));
    }

    [Fact]
    public async Task A_failed_replay_keeps_the_segment_for_the_next_one()
    {
        var journal = new Journal(_directory);
        await journal.AppendAsync(Command(1, JobStatus.Pending), "d1", CancellationToken.None);

        await Assert.ThrowsAsync<TimeoutException>(() => journal.ReplayAsync((_, _) => throw new TimeoutException(), CancellationToken.None));
        var again = await journal.ReplayAsync((_, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(1, again);
        Assert.Equal(0, journal.Backlog);
    }

    [Fact]
    public async Task A_torn_last_line_was_never_acknowledged_and_is_skipped()
    {
        var journal = new Journal(_directory);
        await journal.AppendAsync(Command(1, JobStatus.Pending), "d1", CancellationToken.None);
        var segment = Assert.Single(Directory.GetFiles(_directory, "*.journal"));
        await File.AppendAllTextAsync(segment, "{\"DeliveryId\":\"d2\",\"Tar");

        var applied = 0;
        await new Journal(_directory).ReplayAsync((_, _) =>
        {
            applied++;
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(1, applied);
    }

    [Fact]
    public void An_unreachable_folder_is_not_writable()
    {
        Assert.False(new Journal("/proc/ghfe-journal").IsWritable());
        Assert.True(new Journal(_directory).IsWritable());
    }
}
