using Ghfe.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ghfe.Tests.Operations;

/// <summary>
/// Nothing acknowledged is lost: real faults injected into real processes — PostgreSQL stopped,
/// restarted, ghfe killed — while deliveries stream in.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class FaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RestartablePostgres? _postgres;

    private RestartablePostgres Postgres => _postgres!;

    public async Task InitializeAsync() => _postgres = await RestartablePostgres.StartAsync("faults");

    public async Task DisposeAsync() => await Postgres.DisposeAsync();

    private void Report(string scenario, DeliveryStream stream, IReadOnlyList<Rows.JobRow> rows, IReadOnlyList<string> heard)
    {
        var tally = stream.Tally();
        output.WriteLine(
            $"{scenario}: sent {stream.Answers.Count}, answered 200 {tally.GetValueOrDefault(200)} / 202 {tally.GetValueOrDefault(202)} / 503 {tally.GetValueOrDefault(503)} / other {stream.Answers.Count - tally.GetValueOrDefault(200) - tally.GetValueOrDefault(202) - tally.GetValueOrDefault(503)}; "
            + $"rows {rows.Count} (distinct {rows.Select(r => r.JobId).Distinct().Count()}); notifications heard {heard.Count} (distinct {heard.Distinct().Count()})");
    }

    private static async Task<Listener> ListenAsync(string database)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await Listener.StartAsync(database, "staging_queue_event");
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Postgres_stopped_8_s_under_2000_deliveries_loses_nothing()
    {
        await using var ghfe = await GhfeServer.StartAsync(Postgres.ConnectionString, prod: false, ("GHFE_DB_DEADLINE", "1"));
        var before = await ListenAsync(Postgres.ConnectionString);
        var stream = new DeliveryStream();
        var ids = Enumerable.Range(0, 2000).Select(i => 10_000_000L + i).ToArray();

        var sending = stream.RunAsync(ids, 16, id => ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(id)));
        await stream.WhenAnsweredAsync(400);
        var heardBefore = await before.HeardAsync(TimeSpan.FromMilliseconds(1));
        await before.DisposeAsync();
        await Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        await Postgres.RestartAsync();
        await using var after = await ListenAsync(Postgres.ConnectionString);
        await sending;
        await JournalDrain.WaitAsync(ghfe.Client);

        var rows = await Rows.JobsAsync(Postgres.ConnectionString);
        var heard = heardBefore.Concat(await after.HeardAsync()).ToArray();
        Report("postgres stopped 8 s", stream, rows, heard);
        Assert.All(stream.Answers.Values, answer => Assert.Contains(answer.Status, new[] { 200, 202 }));
        Assert.Contains(202, stream.Tally().Keys);
        Assert.Equal(ids, rows.Select(r => r.JobId));
        Assert.Equal(heard.Length, heard.Distinct().Count());
    }

    [Fact]
    public async Task Postgres_restarted_mid_stream_loses_nothing()
    {
        await using var ghfe = await GhfeServer.StartAsync(Postgres.ConnectionString, prod: false, ("GHFE_DB_DEADLINE", "1"));
        var stream = new DeliveryStream();
        var ids = Enumerable.Range(0, 2000).Select(i => 20_000_000L + i).ToArray();

        var sending = stream.RunAsync(ids, 16, id => ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(id)));
        await stream.WhenAnsweredAsync(700);
        await Postgres.StopAsync();
        await Postgres.RestartAsync();
        await sending;
        await JournalDrain.WaitAsync(ghfe.Client);

        var rows = await Rows.JobsAsync(Postgres.ConnectionString);
        Report("postgres restarted", stream, rows, []);
        Assert.All(stream.Answers.Values, answer => Assert.Contains(answer.Status, new[] { 200, 202 }));
        Assert.Equal(ids, rows.Select(r => r.JobId));
    }

    [Fact]
    public async Task Ghfe_killed_while_postgres_is_down_replays_its_journal_after_restart()
    {
        var spool = Path.Combine(Path.GetTempPath(), $"ghfe-spool-{Guid.NewGuid():N}");
        var first = await GhfeProcess.StartAsync(Postgres.ConnectionString, ("GHFE_DB_DEADLINE", "0.5"), ("GHFE_SPOOL_DIR", spool));
        var stream = new DeliveryStream();
        var ids = Enumerable.Range(0, 600).Select(i => 30_000_000L + i).ToArray();

        var sending = stream.RunAsync(ids, 16, id => first.DeliverAsync("workflow_job", DeliveryStream.Queued(id)));
        await stream.WhenAnsweredAsync(100);
        await Postgres.StopAsync();
        await stream.WhenAnsweredAsync(300);
        first.Crash();
        await sending;
        await first.DisposeAsync();
        await Postgres.RestartAsync();
        await using var second = await GhfeProcess.StartAsync(Postgres.ConnectionString, ("GHFE_SPOOL_DIR", spool));
        await JournalDrain.WaitAsync(second.Client);

        var rows = await Rows.JobsAsync(Postgres.ConnectionString);
        Report("ghfe killed, postgres down", stream, rows, []);
        var acknowledged = stream.Answers.Where(a => a.Value.Status is 200 or 202).Select(a => a.Key).Order().ToArray();
        Assert.Contains(stream.Answers.Values, answer => answer.Status == 202);
        Assert.Empty(acknowledged.Except(rows.Select(r => r.JobId)));
        Assert.Equal(rows.Count, rows.Select(r => r.JobId).Distinct().Count());
        Directory.Delete(spool, recursive: true);
    }

    [Fact]
    public async Task Journal_unwritable_and_postgres_down_is_503_and_claims_nothing()
    {
        // /proc takes no new folder, even from root: a read-only filesystem as ghfe meets it.
        await using var ghfe = await GhfeServer.StartAsync(Postgres.ConnectionString, prod: false, ("GHFE_DB_DEADLINE", "0.5"), ("GHFE_SPOOL_DIR", "/proc/ghfe-spool"));
        await Postgres.StopAsync();

        var (status, text) = await ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(40_000_001));
        using var ready = await ghfe.Client.GetAsync("/health/ready");
        var readiness = await ready.Content.ReadAsStringAsync();
        await Postgres.RestartAsync();

        Assert.Equal(503, status);
        Assert.StartsWith("Job 40000001 not stored: database unavailable (", text, StringComparison.Ordinal);
        Assert.Contains("journal unwritable", text, StringComparison.Ordinal);
        Assert.Equal(503, (int)ready.StatusCode);
        Assert.Contains("NOT writable", readiness, StringComparison.Ordinal);
        Assert.Empty(await Rows.JobsAsync(Postgres.ConnectionString));
    }

    [Fact]
    public async Task Database_down_at_start_spools_and_makes_the_schema_when_it_is_back()
    {
        await Postgres.StopAsync();
        await using var ghfe = await GhfeServer.StartAsync(Postgres.ConnectionString, prod: false, ("GHFE_DB_DEADLINE", "0.5"));

        var answer = await ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(50_000_001));
        var readiness = await ghfe.Client.GetStringAsync("/health/ready");
        await Postgres.RestartAsync();
        await JournalDrain.WaitAsync(ghfe.Client);

        Assert.Equal((202, "Job 50000001 accepted (spooled)."), answer);
        Assert.Contains("journal: 1 waiting", readiness, StringComparison.Ordinal);
        Assert.Equal("pending", Assert.Single(await Rows.JobsAsync(Postgres.ConnectionString)).Status);
    }

    [Fact]
    public async Task Sigterm_with_a_journal_waiting_exits_zero_and_the_next_start_replays_it()
    {
        var spool = Path.Combine(Path.GetTempPath(), $"ghfe-spool-{Guid.NewGuid():N}");
        var first = await GhfeProcess.StartAsync(Postgres.ConnectionString, ("GHFE_DB_DEADLINE", "0.5"), ("GHFE_SPOOL_DIR", spool));
        await Postgres.StopAsync();
        var answer = await first.DeliverAsync("workflow_job", DeliveryStream.Queued(60_000_001));

        var exitCode = await first.StopAsync();
        await Postgres.RestartAsync();
        await using var second = await GhfeProcess.StartAsync(Postgres.ConnectionString, ("GHFE_SPOOL_DIR", spool));
        await JournalDrain.WaitAsync(second.Client);

        Assert.Equal((202, "Job 60000001 accepted (spooled)."), answer);
        Assert.Equal(0, exitCode);
        Assert.Contains(first.Lines, line => line.Contains("stopping with 1 spooled commands in ", StringComparison.Ordinal));
        Assert.Single(await Rows.JobsAsync(Postgres.ConnectionString));
        await first.DisposeAsync();
        Directory.Delete(spool, recursive: true);
    }

    [Fact]
    public async Task Sigterm_with_a_journal_waiting_keeps_replaying_and_drains_it_when_the_database_is_back_in_time()
    {
        var spool = Path.Combine(Path.GetTempPath(), $"ghfe-spool-{Guid.NewGuid():N}");
        var ghfe = await GhfeProcess.StartAsync(Postgres.ConnectionString, ("GHFE_DB_DEADLINE", "0.5"), ("GHFE_SPOOL_DIR", spool));
        await Postgres.StopAsync();
        var answer = await ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(60_000_002));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopping = ghfe.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Postgres.RestartAsync();
        var exitCode = await stopping;
        output.WriteLine($"SIGTERM with 1 spooled command, database back 2 s later: exited {exitCode} after {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal((202, "Job 60000002 accepted (spooled)."), answer);
        Assert.Equal(0, exitCode);
        Assert.Contains(ghfe.Lines, line => line.Contains("replaying them for up to 10 s", StringComparison.Ordinal));
        Assert.DoesNotContain(ghfe.Lines, line => line.Contains("they replay at the next start", StringComparison.Ordinal));
        Assert.Single(await Rows.JobsAsync(Postgres.ConnectionString));
        Assert.Empty(Directory.GetFiles(spool, "*.journal"));
        await ghfe.DisposeAsync();
        Directory.Delete(spool, recursive: true);
    }
}
