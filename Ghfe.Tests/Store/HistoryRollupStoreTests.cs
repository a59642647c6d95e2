using System.Globalization;
using System.Text.Json;
using Ghfe.History;
using Ghfe.Pages;
using Ghfe.Store;
using Ghfe.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>
/// job_days on a real PostgreSQL: /history reads the same numbers whether a day comes from the
/// rollups or from jobs, and the roller follows the jobs as they change.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HistoryRollupStoreTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string[]>[] Filters =
    [
        new(),
        new() { ["start"] = ["-60d"] },
        new() { ["start"] = ["-60d"], ["page"] = ["3"], ["per_page"] = ["7"] },
        new() { ["start"] = ["-60d"], ["entity"] = ["entity-2"], ["status"] = ["failed"] },
        new() { ["start"] = ["-60d"], ["pool"] = ["pool-b"], ["page"] = ["1"], ["per_page"] = ["20"] },
        new() { ["start"] = ["-60d"], ["repo"] = ["ENTITY-1/repo-2"] },
        new() { ["start"] = ["-45d"], ["end"] = ["-40d"], ["status"] = ["completed"] },
    ];

    private static HistoryFilter Filter(Dictionary<string, string[]> query) =>
        HistoryQuery.Parse(query, Now).Match(Right: f => f, Left: problem => throw new InvalidOperationException(problem));

    private static async Task<(string Database, NpgsqlDataSource DataSource)> SeededAsync(PostgresCluster cluster, int days = 60)
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        // Jobs every ~37 minutes over the days before Now: three entities, two pools, every status,
        // some never started, waits from 0 to ~17 min, runs up to ~2 h.
        await Rows.ExecuteAsync(dataSource.ConnectionString, $"""
            INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                              job_labels, k8s_pool, k8s_image, html_url, created_at, updated_at, started_at, completed_at)
            SELECT i,
                   (ARRAY['completed', 'completed', 'completed', 'failed', 'running', 'pending'])[1 + (i / 7) % 6]::status_enum,
                   'github', i % 3, 'entity-' || (i % 3), 'Organization', 'entity-' || (i % 3) || '/repo-' || (i % 4), 1,
                   '["ubuntu-24.04-riscv"]', (ARRAY['pool-a', 'pool-b'])[1 + i % 2], 'img', NULL, t, t,
                   CASE WHEN (i / 7) % 6 < 5 THEN t + make_interval(secs => (i * 7919) % 1000) END,
                   CASE WHEN (i / 7) % 6 < 4 THEN t + make_interval(secs => (i * 7919) % 1000 + (i * 104729) % 7200) END
            FROM generate_series(1, {days * 39}) AS i,
                 LATERAL (SELECT '{Now:O}'::timestamptz - make_interval(mins => i * 37)) AS c(t)
            """);
        return (database, dataSource);
    }

    private static HistoryRoller Roller(NpgsqlDataSource dataSource)
    {
        var state = new DatabaseState();
        state.MarkSchemaReady();
        return new HistoryRoller(dataSource, state, TimeProvider.System, NullLogger<HistoryRoller>.Instance);
    }

    private static async Task<string> HistoryAsync(NpgsqlDataSource dataSource, HistoryFilter filter) =>
        JsonSerializer.Serialize(await PageQueries.HistoryAsync(dataSource, filter, CancellationToken.None));

    [Fact]
    public async Task History_reads_the_same_from_rollups_as_from_jobs()
    {
        var (_, dataSource) = await SeededAsync(cluster);
        await using var _ = dataSource;
        var fromJobs = new List<string>();
        foreach (var query in Filters)
        {
            fromJobs.Add(await HistoryAsync(dataSource, Filter(query)));
        }

        Assert.Null(await RolledDaysAsync(dataSource));

        await Roller(dataSource).PassAsync(Now, full: true, CancellationToken.None);

        var oldest = DateOnly.FromDateTime(Now.AddMinutes(-60 * 39 * 37).UtcDateTime);
        Assert.Equal((oldest, new DateOnly(2026, 11, 27)), await RolledDaysAsync(dataSource));
        for (var i = 0; i < Filters.Length; i++)
        {
            var filter = Filter(Filters[i]);
            Assert.True(HistoryPlan.For(filter, (oldest, new DateOnly(2026, 11, 27))).Rolled is not null || filter.Repo is not null);
            Assert.Equal(fromJobs[i], await HistoryAsync(dataSource, filter));
        }

        // Not an empty comparison: the wide window has every status and both measures.
        var wide = await PageQueries.HistoryAsync(dataSource, Filter(Filters[1]), CancellationToken.None);
        Assert.Equal(6, wide.Groups.Count);
        Assert.All(wide.Groups, g => Assert.True(g.Completed > 0 && g.Failed > 0 && g.Running > 0 && g.Pending > 0 && g.RunTimeP95 > g.RunTimeP50));
        Assert.Equal(100, wide.Jobs.Count);
    }

    [Fact]
    public async Task A_single_job_shows_its_waits_as_its_bucket_stands_for_them()
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        await using var _ = dataSource;
        double[] waits = [0, 0.5, 7, 61, 599.9, 3600, 200000];
        var values = string.Join(", ", waits.Select((wait, i) => string.Create(CultureInfo.InvariantCulture,
            $"({i + 1}, 'completed', 'github', {i}, 'e{i}', 'Organization', 'e/r', 1, 'p', 'img', '{Now.AddDays(-1):O}'::timestamptz, '{Now.AddDays(-1):O}'::timestamptz + make_interval(secs => {wait}), '{Now.AddDays(-1):O}'::timestamptz + make_interval(secs => {wait * 2}))")));
        await Rows.ExecuteAsync(database, $"""
            INSERT INTO staging.jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id, k8s_pool, k8s_image, created_at, started_at, completed_at)
            VALUES {values}
            """);

        var history = await PageQueries.HistoryAsync(dataSource, Filter([]), CancellationToken.None);

        foreach (var (wait, i) in waits.Select((wait, i) => (wait, i)))
        {
            var group = history.Groups.Single(g => g.EntityId == i);
            Assert.Equal(DurationHistogram.ValueOf(DurationHistogram.BucketOf(wait)), group.QueueWaitP50!.Value, 6);
            Assert.Equal(DurationHistogram.ValueOf(DurationHistogram.BucketOf(wait)), group.RunTimeP95!.Value, 6);
        }
    }

    [Fact]
    public async Task The_roller_follows_jobs_that_change_after_their_day_was_rolled()
    {
        var (database, dataSource) = await SeededAsync(cluster);
        await using var _ = dataSource;
        var roller = Roller(dataSource);
        await roller.PassAsync(Now, full: true, CancellationToken.None);
        var recent = Filter(new() { ["start"] = ["-10d"], ["end"] = ["-3d"] });
        var old = Filter(new() { ["start"] = ["-50d"], ["end"] = ["-45d"] });

        // The scheduler fails a running job, a job goes away, and the same happens to an old day.
        await Rows.ExecuteAsync(database, """
            UPDATE staging.jobs SET status = 'failed' WHERE job_id IN (SELECT job_id FROM staging.jobs WHERE status = 'running' AND created_at BETWEEN '2026-11-19' AND '2026-11-24' LIMIT 5);
            DELETE FROM staging.jobs WHERE job_id IN (SELECT job_id FROM staging.jobs WHERE created_at BETWEEN '2026-11-19' AND '2026-11-24' LIMIT 3);
            UPDATE staging.jobs SET status = 'failed' WHERE job_id IN (SELECT job_id FROM staging.jobs WHERE status = 'running' AND created_at BETWEEN '2026-10-10' AND '2026-10-13' LIMIT 4);
            """);
        var truth = (await Truth(dataSource, recent), await Truth(dataSource, old));
        Assert.NotEqual(truth.Item1, await HistoryAsync(dataSource, recent));

        await roller.PassAsync(Now, full: false, CancellationToken.None);
        Assert.Equal(truth.Item1, await HistoryAsync(dataSource, recent));
        Assert.NotEqual(truth.Item2, await HistoryAsync(dataSource, old));   // older than the recheck: waits for a full pass

        await roller.PassAsync(Now, full: true, CancellationToken.None);
        Assert.Equal(truth.Item2, await HistoryAsync(dataSource, old));
    }

    [Fact]
    public async Task A_broken_run_of_rolled_days_is_rolled_again()
    {
        var (database, dataSource) = await SeededAsync(cluster, days: 20);
        await using var _ = dataSource;
        var roller = Roller(dataSource);
        await roller.PassAsync(Now, full: true, CancellationToken.None);
        var expected = await HistoryAsync(dataSource, Filter(new() { ["start"] = ["-20d"] }));
        await Rows.ExecuteAsync(database, "DELETE FROM staging.job_days_rolled WHERE day = '2026-11-20'; UPDATE staging.job_days SET jobs = jobs + 100");

        Assert.Null(await RolledDaysAsync(dataSource));
        await roller.PassAsync(Now, full: false, CancellationToken.None);

        Assert.NotNull(await RolledDaysAsync(dataSource));
        Assert.Equal(expected, await HistoryAsync(dataSource, Filter(new() { ["start"] = ["-20d"] })));
    }

    private static async Task<(DateOnly From, DateOnly To)?> RolledDaysAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await HistoryRollups.RolledDaysAsync(connection, CancellationToken.None);
    }

    /// <summary>The window read from jobs alone: what the rollups must agree with.</summary>
    private static async Task<string> Truth(NpgsqlDataSource dataSource, HistoryFilter filter) =>
        JsonSerializer.Serialize(await PageQueries.HistoryAsync(dataSource, filter, HistoryPlan.For(filter, null), CancellationToken.None));
}
