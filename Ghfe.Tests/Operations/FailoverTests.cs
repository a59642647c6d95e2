using System.Collections.Concurrent;
using System.Diagnostics;
using Ghfe.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ghfe.Tests.Operations;

/// <summary>
/// A PostgreSQL failover is an outage like any other: a real streaming standby, a real ghfe on a
/// multi-host URL (or one endpoint that moves), four senders of signed deliveries; the primary stops,
/// crashes or turns read-only, the standby
/// is promoted. No 5xx, back on the new primary within seconds, nothing acknowledged lost.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Senders = 4;

    /// <summary>Longer than the delivery deadline below: some deliveries wait it out and go to the journal.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(1.5);

    [Fact]
    public Task Primary_stopped_and_standby_promoted_refuses_nothing_and_loses_nothing() =>
        FailOverAsync("primary stopped (fast), multi-host URL", synchronous: false, MultiHost, cluster => cluster.StopPrimaryAsync(), cluster => cluster.PromoteStandbyAsync());

    /// <summary>A crash loses what the primary had not sent: only commits that wait for the standby survive it.</summary>
    [Fact]
    public Task Primary_crashed_and_standby_promoted_refuses_nothing_and_loses_nothing() =>
        FailOverAsync("primary killed (SIGKILL), multi-host URL", synchronous: true, MultiHost, cluster => cluster.CrashPrimaryAsync(), cluster => cluster.PromoteStandbyAsync());

    /// <summary>
    /// One endpoint that moves: the old primary stays up but read-only (25006 on every write, on
    /// the sessions ghfe already holds there too), the standby is promoted, the endpoint re-pointed.
    /// </summary>
    [Fact]
    public async Task Endpoint_moved_to_the_promoted_standby_leaves_no_session_on_the_demoted_server()
    {
        TcpForwarder? endpoint = null;
        try
        {
            await FailOverAsync(
                "primary demoted (read-only), single endpoint moved",
                synchronous: false,
                cluster =>
                {
                    endpoint = new TcpForwarder(cluster.Primary.Port);
                    return $"postgresql://postgres@127.0.0.1:{endpoint.Port}/ghfe";
                },
                cluster => cluster.FencePrimaryAsync(),
                async cluster =>
                {
                    await cluster.WaitCaughtUpAsync();
                    await cluster.PromoteStandbyAsync();
                    endpoint!.PointTo(cluster.Standby.Port);
                },
                duringSays: "is read-only");
        }
        finally
        {
            if (endpoint is not null)
            {
                await endpoint.DisposeAsync();
            }
        }
    }

    /// <summary>The replicas share nothing but the database: both find the new primary, and a job delivered to both is one row.</summary>
    [Fact]
    public Task Two_replicas_through_the_same_failover_both_recover_with_one_row_per_job() =>
        FailOverAsync("two replicas, primary stopped (fast), multi-host URL", synchronous: false, MultiHost, cluster => cluster.StopPrimaryAsync(), cluster => cluster.PromoteStandbyAsync(), replicas: 2);

    /// <summary>A pod (re)started while no primary is up starts, journals, and replays into the standby once it is promoted.</summary>
    [Fact]
    public async Task Ghfe_started_while_only_a_standby_answers_spools_and_replays_into_it_once_promoted()
    {
        await using var cluster = await ReplicatedPostgres.StartAsync(synchronous: false);
        await cluster.StopPrimaryAsync();
        var clock = Stopwatch.StartNew();
        await using var ghfe = await GhfeProcess.StartAsync(MultiHost(cluster), ("GHFE_DB_DEADLINE", "0.5"));
        var started = clock.Elapsed;

        var answer = await ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(80_000_001));
        var during = await ghfe.Client.GetStringAsync("/health/ready");
        clock.Restart();
        await cluster.PromoteStandbyAsync();
        var after = await WaitForEmptyJournalAsync(ghfe.Client);
        output.WriteLine($"started (no primary) in {started.TotalSeconds:0.0} s; journal replayed into the promoted standby {clock.Elapsed.TotalSeconds:0.0} s after promotion was asked");
        output.WriteLine($"readiness with the primary down and the standby not yet promoted:\n{during}");
        output.WriteLine($"readiness after the promotion:\n{after}");

        Assert.Equal((202, "Job 80000001 accepted (spooled)."), answer);
        Assert.Contains("deliveries: journalled", during, StringComparison.Ordinal);
        Assert.Contains("journal: 1 waiting", during, StringComparison.Ordinal);
        Assert.Contains($"primary 127.0.0.1:{cluster.Standby.Port}", after, StringComparison.Ordinal);
        Assert.Equal("pending", Assert.Single(await Rows.JobsAsync(cluster.Standby.ConnectionString)).Status);
    }

    private static string MultiHost(ReplicatedPostgres cluster) =>
        $"postgresql://postgres@127.0.0.1:{cluster.Primary.Port},127.0.0.1:{cluster.Standby.Port}/ghfe?target_session_attrs=read-write";

    /// <param name="takeDown">What happens to the primary.</param>
    /// <param name="promote">Makes the standby the primary (and leads the URL to it); timed from its start.</param>
    /// <param name="duringSays">What /health/ready says of the database while no primary takes writes.</param>
    /// <param name="replicas">ghfes on the same URL; the senders take turns, and every eighth job goes to each of them at once.</param>
    private async Task FailOverAsync(
        string mode, bool synchronous, Func<ReplicatedPostgres, string> url, Func<ReplicatedPostgres, Task> takeDown, Func<ReplicatedPostgres, Task> promote,
        string duringSays = "database: down", int replicas = 1)
    {
        await using var cluster = await ReplicatedPostgres.StartAsync(synchronous);
        var ghfes = new List<GhfeProcess>();
        try
        {
            for (var replica = 0; replica < replicas; replica++)
            {
                ghfes.Add(await GhfeProcess.StartAsync(url(cluster), ("GHFE_DB_DEADLINE", "1")));
            }

            await FailOverAsync(mode, synchronous, cluster, ghfes, takeDown, promote, duringSays);
        }
        finally
        {
            foreach (var ghfe in ghfes)
            {
                await ghfe.DisposeAsync();
            }
        }
    }

    private async Task FailOverAsync(
        string mode, bool synchronous, ReplicatedPostgres cluster, List<GhfeProcess> ghfes, Func<ReplicatedPostgres, Task> takeDown, Func<ReplicatedPostgres, Task> promote,
        string duringSays)
    {
        var ghfe = ghfes[0];
        var before = await ghfe.Client.GetStringAsync("/health/ready");

        using var stop = new CancellationTokenSource();
        var answers = new ConcurrentBag<Answer>();
        var nextId = 70_000_000L;
        var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Interlocked.Increment(ref nextId);
                var targets = ghfes.Count > 1 && id % 8 == 0 ? Enumerable.Range(0, ghfes.Count) : [sender % ghfes.Count];
                await Task.WhenAll(targets.Select(async replica =>
                {
                    try
                    {
                        var (status, text) = await ghfes[replica].DeliverAsync("workflow_job", DeliveryStream.Queued(id));
                        answers.Add(new Answer(id, replica, status, text, DateTime.UtcNow));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        answers.Add(new Answer(id, replica, 0, e.Message, DateTime.UtcNow));
                    }
                }));
            }
        })));

        for (var waited = 0; answers.Count(a => a.Status == 200) < 100; waited++)
        {
            Assert.True(waited < 1500, $"fewer than 100 deliveries stored in 30 s: {string.Join(", ", answers.Take(3).Select(a => $"{a.Status} {a.Text}"))}");
            await Task.Delay(20);
        }

        var clock = Stopwatch.StartNew();
        await takeDown(cluster);
        var stopTook = clock.Elapsed;
        await Task.Delay(Outage / 2);
        using var duringResponse = await ghfe.Client.GetAsync("/health/ready");
        var during = await duringResponse.Content.ReadAsStringAsync();
        await Task.Delay(Outage / 2);

        var promotedAt = DateTime.UtcNow;
        clock.Restart();
        await promote(cluster);
        var promoteTook = clock.Elapsed;
        // The scheduler's view: a job sent from now on is woken once on the new primary, whichever replica stored it.
        await using var listener = await Listener.StartAsync(cluster.Standby.ConnectionString + ";Pooling=false", "staging_queue_event");
        var listenedFrom = Interlocked.Read(ref nextId);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await stop.CancelAsync();
        await sending;
        var after = await WaitForEmptyJournalAsync(ghfe.Client);
        foreach (var other in ghfes.Skip(1))
        {
            await WaitForEmptyJournalAsync(other.Client);
        }

        var heard = (await listener.HeardAsync()).Select(long.Parse).Where(id => id > listenedFrom).ToArray();
        var newPrimary = cluster.Standby.ConnectionString;
        var rows = await Rows.JobsAsync(newPrimary);
        // Since the promotion was asked, not since the primary was taken down: a fenced primary
        // may still commit for a moment, and what it committed replicates to the standby.
        var firstOnNewPrimary = await FirstStoredSinceAsync(newPrimary, promotedAt);
        var backAfter = firstOnNewPrimary - promotedAt;
        var back = backAfter is { } seconds ? $"{seconds.TotalSeconds:0.00} s after promotion was asked" : "never";
        // Each replica's first 200 answered after the promotion: only the new primary could have stored it.
        var replicaBack = Enumerable.Range(0, ghfes.Count)
            .Select(replica => answers.Where(a => a.Replica == replica && a.Status == 200 && a.AnsweredAt > promotedAt).Select(a => (TimeSpan?)(a.AnsweredAt - promotedAt)).Min())
            .ToArray();
        var tally = answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"{mode}: {answers.Count} deliveries ({answers.Select(a => a.Id).Distinct().Count()} jobs) from {Senders} senders to {ghfes.Count} ghfe(s); answers {string.Join(", ", tally)}");
        output.WriteLine($"{mode}: stop took {stopTook.TotalSeconds:0.00} s, outage {Outage.TotalSeconds:0.0} s, promotion took {promoteTook.TotalSeconds:0.00} s; first delivery stored on the new primary {back}");
        output.WriteLine($"{mode}: first 200 after the promotion, by replica: {string.Join(", ", replicaBack.Select(b => b is { } t ? $"{t.TotalSeconds:0.00} s" : "never"))}");
        output.WriteLine($"{mode}: rows on the new primary {rows.Count} (distinct {rows.Select(r => r.JobId).Distinct().Count()})");
        output.WriteLine($"{mode}: NOTIFY on the new primary for the jobs sent after the promotion: {heard.Length} heard, {heard.Distinct().Count()} distinct");
        output.WriteLine($"readiness before:\n{before}");
        output.WriteLine($"readiness during the failover ({(int)duringResponse.StatusCode}):\n{during}");
        output.WriteLine($"readiness after:\n{after}");

        Assert.All(ghfes, replica => Assert.Contains(replica.Lines, line => line.Contains(synchronous ? "commits wait for a synchronous standby" : "commits do not wait for a standby", StringComparison.Ordinal)));
        Assert.DoesNotContain(answers, answer => answer.Status is >= 500 or 0);
        Assert.Contains(answers, answer => answer.Status == 202);
        Assert.Equal(200, (int)duringResponse.StatusCode);
        Assert.Contains(duringSays, during, StringComparison.Ordinal);
        Assert.Contains("deliveries: journalled", during, StringComparison.Ordinal);
        Assert.Contains($"primary 127.0.0.1:{cluster.Standby.Port}", after, StringComparison.Ordinal);
        var acknowledged = answers.Where(a => a.Status is 200 or 202).Select(a => a.Id).ToHashSet();
        Assert.Empty(acknowledged.Except(rows.Select(r => r.JobId)));
        Assert.Equal(rows.Count, rows.Select(r => r.JobId).Distinct().Count());
        Assert.Equal(heard.Length, heard.Distinct().Count());
        Assert.Empty(acknowledged.Where(id => id > listenedFrom).Except(heard));
        Assert.NotNull(backAfter);
        Assert.InRange(backAfter.Value, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.All(replicaBack, first => Assert.InRange(first ?? TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromSeconds(5)));
    }

    private sealed record Answer(long Id, int Replica, int Status, string Text, DateTime AnsweredAt);

    /// <summary>When the first job written since <paramref name="since"/> reached the new primary (its own clock: the same machine's).</summary>
    private static async Task<DateTime?> FirstStoredSinceAsync(string connectionString, DateTime since)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT min(created_at) FROM staging.jobs WHERE created_at > $1", connection);
        query.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since });
        return await query.ExecuteScalarAsync() as DateTime?;
    }

    private static async Task<string> WaitForEmptyJournalAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var ready = await client.GetStringAsync("/health/ready");
            if (ready.Contains("database: up", StringComparison.Ordinal) && ready.Contains("journal: 0 waiting", StringComparison.Ordinal))
            {
                return ready;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the journal did not drain into the new primary in 30 s");
    }
}
