using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Tests.Store;

/// <summary>A spooled command keeps what the control plane's row needs, and its delivery's event row; older lines still read.</summary>
public sealed class ControlPlaneJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ghfe-journal-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_command_round_trips_with_githubs_fields_and_its_event_row()
    {
        var details = new JobDetails("build (x)", "pod-1", "success", DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-01T00:01:00Z"), DateTimeOffset.Parse("2026-01-01T00:05:00Z"));
        var job = new JobRecord(5, "User", 42, "someone", "someone/project", 9, ["a"], "scw-em-rv1", "image", null, "scaleway", details);
        var row = new InstallationEvent("workflow_job.completed", 9, 31337, "User", 42, "someone", """{"action":"completed"}""");
        var journal = new Journal(_directory);
        await journal.AppendAsync(new JobCommand.MarkCompleted(job) { Event = row }, "d1", CancellationToken.None);

        var replayed = new List<JobCommand>();
        await new Journal(_directory).ReplayAsync((command, _) =>
        {
            replayed.Add(command);
            return Task.CompletedTask;
        }, CancellationToken.None);

        var back = Assert.IsType<JobCommand.MarkCompleted>(Assert.Single(replayed));
        Assert.Equal(job with { Labels = [] }, back.Job with { Labels = [] });
        Assert.Equal(["a"], back.Job.Labels);
        Assert.Equal(row, back.Event);
    }

    [Fact]
    public async Task A_line_written_before_the_control_plane_generation_still_reads()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(
            Path.Combine(_directory, "000000000001.journal"),
            """{"DeliveryId":"d0","Target":"pending","Job":{"JobId":4,"EntityType":"User","EntityId":7,"EntityName":"someone","RepoFullName":"someone/project","InstallationId":0,"Labels":["a"],"Pool":"scw-em-rv1","Image":"image","HtmlUrl":null}}""" + "\n");

        var replayed = new List<JobCommand>();
        await new Journal(_directory).ReplayAsync((command, _) =>
        {
            replayed.Add(command);
            return Task.CompletedTask;
        }, CancellationToken.None);

        var back = Assert.IsType<JobCommand.Enqueue>(Assert.Single(replayed));
        Assert.Equal((4L, "scw-em-rv1", (string?)null, (JobDetails?)null, (InstallationEvent?)null), (back.Job.JobId, back.Job.Pool, back.Job.Provider, back.Job.Details, back.Event));
    }
}
