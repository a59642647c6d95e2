using Ghfe.Store;
using Ghfe.Tests.Support;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>/usage's read under a backlog: every live job counted, only the oldest read row by row.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UsageReadTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_backlog_is_counted_whole_and_listed_from_the_oldest_up_to_the_cap()
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        await using var _ = dataSource;
        var live = PageQueries.ListedJobs + 500;
        // A scheduler down for a while: more live jobs than /usage lists, among finished ones.
        await Rows.ExecuteAsync(database, $"""
            INSERT INTO staging.jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                                      job_labels, k8s_pool, k8s_image, created_at)
            SELECT i, CASE WHEN i % 10 = 0 THEN 'running' WHEN i <= {live} THEN 'pending' ELSE 'completed' END::staging.status_enum,
                   'github', i % 2, 'e' || (i % 2), 'Organization', 'e/r', 1, '["ubuntu-24.04-riscv"]', 'scw-em-rv1', 'img',
                   '{Now:O}'::timestamptz - make_interval(secs => i)
            FROM generate_series(1, {live + 3000}) AS i;
            """);

        var usage = await PageQueries.UsageAsync(dataSource, CancellationToken.None);

        Assert.Equal(PageQueries.ListedJobs, usage.Jobs.Count);
        // The oldest first: created_at goes back one second per id, and id 4500 (running) is the largest live one.
        Assert.Equal(Now.AddSeconds(-(live + 3000)), usage.Jobs[0].CreatedAt);
        Assert.True(usage.Jobs.Zip(usage.Jobs.Skip(1)).All(pair => pair.Item1.CreatedAt <= pair.Item2.CreatedAt));
        var running = (live + 3000) / 10;
        Assert.Equal(
            [(0L, "e0", "pending", live / 2 - live / 10), (0L, "e0", "running", running), (1L, "e1", "pending", live / 2)],
            usage.JobCounts.OrderBy(count => count.EntityId).ThenBy(count => count.Status, StringComparer.Ordinal)
                .Select(count => (count.EntityId, count.EntityName, count.Status, count.Jobs)));
        Assert.All(usage.JobCounts, count => Assert.Equal(["ubuntu-24.04-riscv"], count.Labels));
    }
}
