using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Operations;

/// <summary>
/// In the control-plane generation a delivery acknowledged while PostgreSQL is down goes to the
/// journal with its installation_events row, and the replay writes both, together.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class ControlPlaneOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RestartablePostgres? _postgres;

    private RestartablePostgres Postgres => _postgres!;

    public async Task InitializeAsync() => _postgres = await RestartablePostgres.StartAsync("cp-outage");

    public async Task DisposeAsync() => await Postgres.DisposeAsync();

    [Fact]
    public async Task A_spooled_job_and_its_event_row_are_written_together_when_the_database_is_back()
    {
        await using var ghfe = await GhfeServer.StartAsync(Postgres.ConnectionString, prod: false, ControlPlane.Setting, ("GHFE_DB_DEADLINE", "0.5"));
        Assert.Equal((200, "Job 1 stored."), await ControlPlane.DeliverAsync(ghfe, "workflow_job", ControlPlane.Job("queued", 1)));

        await Postgres.StopAsync();
        var running = await ControlPlane.DeliverAsync(ghfe, "workflow_job", ControlPlane.Job("in_progress", 1, fields: [("runner_name", "pod-1")]));
        var queued = await ControlPlane.DeliverAsync(ghfe, "workflow_job", ControlPlane.Job("queued", 2));
        await Postgres.RestartAsync();
        var started = DateTimeOffset.UtcNow;
        await JournalDrain.WaitAsync(ghfe.Client);
        output.WriteLine($"journal drained {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s after PostgreSQL was back");

        Assert.Equal((202, "Job 1 accepted (spooled)."), running);
        Assert.Equal((202, "Job 2 accepted (spooled)."), queued);
        var jobs = await ControlPlane.JobsAsync(Postgres.ConnectionString);
        Assert.Equal([(1L, "running", "pod-1"), (2L, "pending", null)], jobs.Select(job => (job.JobId, job.Status, job.K8sPod)));
        var events = await ControlPlane.EventsAsync(Postgres.ConnectionString);
        Assert.Equal(
            [("workflow_job.queued", "job_stored"), ("workflow_job.in_progress", "job_marked_running"), ("workflow_job.queued", "job_stored")],
            events.Select(e => (e.Event, e.Outcome)));
        Assert.All(events, e => Assert.Equal(987654L, e.AppId));
    }
}
