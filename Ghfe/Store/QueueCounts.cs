using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>Live jobs or workers of one pool and status, as PostgreSQL counts them.</summary>
/// <param name="Oldest">The oldest row's created_at (jobs only; null for workers).</param>
public sealed record QueueCount(QueueKind Kind, string Pool, string Status, long Count, DateTimeOffset? Oldest);

public enum QueueKind
{
    Job,
    Worker,
}

/// <summary>The read behind the queue gauges: counts, never rows.</summary>
public static class QueueCounts
{
    /// <summary>
    /// One statement per refresh, whatever the size of the tables. The jobs branch repeats
    /// idx_jobs_live's predicate and the workers branch idx_workers_active's, so that both read
    /// only the live rows however many completed ones pile up.
    /// </summary>
    private static readonly PerGeneration<string> Sqls = new(g => $"""
        SELECT 'job', k8s_pool, status::text, count(*), min(created_at)
        FROM {g.Jobs}
        WHERE status IN ('pending', 'running')
        GROUP BY k8s_pool, status
        UNION ALL
        SELECT 'worker', k8s_pool, status::text, count(*), NULL
        FROM {g.Workers}
        WHERE status != 'completed' AND status IN ('pending', 'running')
        GROUP BY k8s_pool, status
        """);

    /// <summary>The app generation's statement, as the plan tests read it.</summary>
    internal static string Sql => Sqls[SchemaGeneration.App];

    public static Task<IReadOnlyList<QueueCount>> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, SchemaGeneration.App, cancellationToken);

    public static async Task<IReadOnlyList<QueueCount>> ReadAsync(NpgsqlDataSource dataSource, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sqls[generation]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<QueueCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new QueueCount(
                reader.GetString(0) == "job" ? QueueKind.Job : QueueKind.Worker,
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return counts;
    }
}
