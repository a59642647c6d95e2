using Ghfe.Store;
using Ghfe.Tests.Support;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>The queue gauges' read: right counts, and a plan that reads only the live rows.</summary>
[Collection(PostgresCollection.Name)]
public sealed class QueueCountsTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Counts_live_jobs_and_workers_per_pool_and_status_through_the_live_indexes()
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        await using var _ = dataSource;
        // Many finished jobs and workers, a few live ones: what production looks like.
        await Rows.ExecuteAsync(database, $"""
            INSERT INTO staging.jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id, k8s_pool, k8s_image, created_at)
            SELECT i, CASE WHEN i <= 3 THEN 'pending' WHEN i <= 5 THEN 'running' ELSE 'completed' END::staging.status_enum,
                   'github', 1, 'e', 'Organization', 'e/r', 1, CASE WHEN i = 1 THEN 'cloudv10x-rvv' ELSE 'scw-em-rv1' END, 'img',
                   '{Now:O}'::timestamptz - make_interval(mins => i)
            FROM generate_series(1, 50000) AS i;
            INSERT INTO staging.workers (pod_name, provider, entity_id, entity_name, k8s_pool, k8s_image, status)
            SELECT 'pod-' || i, 'github', 1, 'e', 'scw-em-rv1', 'img', CASE WHEN i <= 2 THEN 'running' ELSE 'completed' END::staging.status_enum
            FROM generate_series(1, 20000) AS i;
            -- ANALYZE samples 30,000 rows by default: of 50,000 jobs it would see between none and
            -- all five live ones, and the plan would change from run to run. Read them all.
            ALTER TABLE staging.jobs ALTER COLUMN status SET STATISTICS 1000;
            ANALYZE staging.jobs;
            ANALYZE staging.workers;
            """);

        var counts = await QueueCounts.ReadAsync(dataSource, CancellationToken.None);

        Assert.Equal(
            [
                (QueueKind.Job, "cloudv10x-rvv", "pending", 1L, (DateTimeOffset?)Now.AddMinutes(-1)),
                (QueueKind.Job, "scw-em-rv1", "pending", 2L, Now.AddMinutes(-3)),
                (QueueKind.Job, "scw-em-rv1", "running", 2L, Now.AddMinutes(-5)),
                (QueueKind.Worker, "scw-em-rv1", "running", 2L, null),
            ],
            counts.Select(c => (c.Kind, c.Pool, c.Status, c.Count, c.Oldest)).Order());

        await using var explain = dataSource.CreateCommand("EXPLAIN " + QueueCounts.Sql);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        // An index on each table, never a scan of it; which index the planner picks among the live
        // ones (idx_jobs_live, idx_jobs_active) depends on the statistics of the day.
        Assert.Matches("(Index (Only )?Scan using|Bitmap Index Scan on) idx_jobs_(live|active)", text);
        Assert.Contains("idx_workers_active", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }
}
