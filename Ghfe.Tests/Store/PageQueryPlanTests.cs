using Ghfe.History;
using Ghfe.Pages;
using Ghfe.Store;
using Ghfe.Tests.Support;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>
/// The pages' reads filter with "$n IS NULL OR column = $n". Prepared (as ghfe prepares what it
/// sends often), PostgreSQL would switch such a statement to one generic plan after five runs,
/// and a generic plan cannot use an index for either branch: at 1M jobs a repo filter went from
/// 76 ms to 2.7 s. Each page read must be planned for its own values.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PageQueryPlanTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Page_reads_run_prepared_but_never_on_a_generic_plan()
    {
        // ghfe's own connection settings, and one connection: the session the test inspects is the one the pages used.
        var (database, dataSource) = await cluster.CreateStoreAsync(connection => connection.MaxPoolSize = 1);
        await using var _ = dataSource;
        await Rows.ExecuteAsync(database, $"""
            INSERT INTO staging.jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                                      k8s_pool, k8s_image, created_at, started_at, completed_at)
            SELECT i, 'completed', 'github', i % 5, 'entity-' || (i % 5), 'Organization', 'entity-' || (i % 5) || '/repo-' || (i % 9), 1,
                   'pool-' || (i % 3), 'img', t, t + interval '10 seconds', t + interval '5 minutes'
            FROM generate_series(1, 20000) AS i, LATERAL (SELECT '{Now:O}'::timestamptz - make_interval(mins => i)) AS c(t);
            ANALYZE staging.jobs;
            """);

        for (var i = 0; i < 12; i++)
        {
            var history = Parse(HistoryQuery.Parse, new() { ["repo"] = [$"entity-1/repo-{i % 9}"], ["start"] = ["-30d"] });
            Assert.NotEmpty((await PageQueries.HistoryAsync(dataSource, history, CancellationToken.None)).Jobs);
            await PageQueries.HistoryAsync(dataSource, Parse(HistoryQuery.Parse, new() { ["pool"] = ["pool-1"] }), CancellationToken.None);
            await PageQueries.DeliveriesAsync(dataSource, Parse(DeliveriesQuery.Parse, new() { ["outcome"] = ["stored"] }).ToFilter(), CancellationToken.None);
            await PageQueries.UsageAsync(dataSource, CancellationToken.None);
        }

        await using var session = await dataSource.OpenConnectionAsync();
        await using var plans = new NpgsqlCommand(
            "SELECT coalesce(sum(generic_plans), 0)::int, coalesce(sum(custom_plans), 0)::int FROM pg_prepared_statements WHERE statement ~ '\\$[0-9]'",
            session);
        await using var reader = await plans.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(0, reader.GetInt32(0));
        Assert.True(reader.GetInt32(1) > 12, $"the filtered reads were not prepared ({reader.GetInt32(1)} custom plans)");
    }

    private static T Parse<T>(Func<IReadOnlyDictionary<string, string[]>, DateTimeOffset, LanguageExt.Either<string, T>> parse, Dictionary<string, string[]> query) =>
        parse(query, Now).Match(Right: value => value, Left: problem => throw new InvalidOperationException(problem));
}
