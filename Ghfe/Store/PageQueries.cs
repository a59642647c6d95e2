using System.Text.Json;
using Ghfe.Pages;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>The reads behind /usage and /history: plain SQL, one round trip each, on indexed columns.</summary>
public static class PageQueries
{
    /// <summary>
    /// Live rows only, through idx_jobs_live: on a big table nearly every row is completed
    /// or failed, and neither may be read here.
    /// </summary>
    private const string ActiveJobsSql = """
        SELECT job_id, status::text, entity_id, entity_name, job_labels::text, k8s_pool, repo_full_name, html_url, created_at
        FROM jobs
        WHERE status IN ('pending', 'running')
        """;

    /// <summary>"status != 'completed'" repeats idx_workers_active's predicate, so that the planner uses it.</summary>
    private const string ActiveWorkersSql = """
        SELECT pod_name, status::text, entity_id, entity_name, coalesce(job_labels, '[]')::text, k8s_pool, k8s_node, created_at
        FROM workers
        WHERE status != 'completed' AND status IN ('pending', 'running')
        """;

    /// <summary>The filter of every /history read: a created_at window (idx_jobs_created) and optional equalities.</summary>
    private const string HistoryWhere = """
        created_at >= $1 AND created_at < $2
          AND ($3::text IS NULL OR entity_name = $3 OR entity_id::text = $3)
          AND ($4::text IS NULL OR k8s_pool = $4)
          AND ($5::text IS NULL OR status::text = $5)
          AND ($6::text IS NULL OR lower(repo_full_name) = lower($6))
        """;

    private const string HistoryGroupsSql = $"""
        SELECT entity_id, max(entity_name), k8s_pool,
               count(*) FILTER (WHERE status = 'pending')::int,
               count(*) FILTER (WHERE status = 'running')::int,
               count(*) FILTER (WHERE status = 'completed')::int,
               count(*) FILTER (WHERE status = 'failed')::int,
               -- One sort per measure gives both percentiles.
               percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) FILTER (WHERE started_at IS NOT NULL),
               percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE started_at IS NOT NULL AND completed_at IS NOT NULL)
        FROM jobs
        WHERE {HistoryWhere}
        GROUP BY entity_id, k8s_pool
        ORDER BY count(*) DESC, 2, 3
        """;

    private const string HistoryDailySql = $"""
        SELECT (created_at AT TIME ZONE 'UTC')::date, k8s_pool, count(*)::int
        FROM jobs
        WHERE {HistoryWhere}
        GROUP BY 1, 2
        ORDER BY 1, 2
        """;

    private const string HistoryJobsSql = $"""
        SELECT job_id, status::text, entity_name, repo_full_name, job_labels::text, k8s_pool, html_url, created_at, started_at, completed_at
        FROM jobs
        WHERE {HistoryWhere}
        ORDER BY created_at DESC, job_id DESC
        LIMIT $7 OFFSET $8
        """;

    /// <summary>The filter of /deliveries: a received_at window (idx_deliveries_received) and optional equalities.</summary>
    private const string DeliveriesWhere = """
        received_at >= $1 AND received_at < $2
          AND ($3::text IS NULL OR outcome = $3)
          AND ($4::text IS NULL OR owner_login = $4 OR owner_id::text = $4)
          AND ($5::text IS NULL OR lower(repository) = lower($5))
          AND ($6::text IS NULL OR labels ? $6)
        """;

    private const string IgnoredLabelsSql = $"""
        SELECT coalesce(labels, '[]')::text, count(*)::int
        FROM deliveries
        WHERE {DeliveriesWhere} AND outcome = 'no_matching_rule'
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20
        """;

    private const string DeliveriesSql = $"""
        SELECT delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository, labels::text, outcome, status, elapsed_ms, source
        FROM deliveries
        WHERE {DeliveriesWhere}
        ORDER BY received_at DESC, id DESC
        LIMIT $7 OFFSET $8
        """;

    public static async Task<(IReadOnlyList<IgnoredLabels> Ignored, IReadOnlyList<DeliveryEntry> Deliveries)> DeliveriesAsync(
        NpgsqlDataSource dataSource, DeliveriesQuery query, CancellationToken cancellationToken)
    {
        NpgsqlBatchCommand Filtered(string sql)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = query.Start });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = query.End });
            foreach (var value in new[] { query.Outcome, query.Owner, query.Repo, query.Label })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            }

            return command;
        }

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Filtered(IgnoredLabelsSql));
        var page = Filtered(DeliveriesSql);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.PerPage });
        page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)query.Page * query.PerPage });
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var ignored = new List<IgnoredLabels>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ignored.Add(new IgnoredLabels(Labels(reader.GetString(0)), reader.GetInt32(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        var deliveries = new List<DeliveryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var received = reader.GetFieldValue<DateTimeOffset>(1);
            deliveries.Add(new DeliveryEntry(
                NullableString(reader, 0), received, NullableString(reader, 2), NullableString(reader, 3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                NullableString(reader, 6), NullableString(reader, 7), reader.IsDBNull(8) ? null : Labels(reader.GetString(8)),
                reader.GetString(9), reader.GetInt32(10), reader.GetFloat(11), NullableString(reader, 12)));
        }

        return (ignored, deliveries);
    }

    public static async Task<(IReadOnlyList<ActiveJob> Jobs, IReadOnlyList<ActiveWorker> Workers)> ActiveAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ActiveJobsSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ActiveWorkersSql));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var jobs = new List<ActiveJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new ActiveJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), Labels(reader.GetString(4)),
                reader.GetString(5), reader.GetString(6), NullableString(reader, 7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        await reader.NextResultAsync(cancellationToken);
        var workers = new List<ActiveWorker>();
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new ActiveWorker(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3), Labels(reader.GetString(4)),
                reader.GetString(5), NullableString(reader, 6), reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return (jobs, workers);
    }

    public static async Task<HistoryData> HistoryAsync(NpgsqlDataSource dataSource, HistoryFilter filter, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Filtered(HistoryGroupsSql, filter));
        batch.BatchCommands.Add(Filtered(HistoryDailySql, filter));
        var page = Filtered(HistoryJobsSql, filter);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = filter.PerPage });
        page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)filter.Page * filter.PerPage });
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var groups = new List<HistoryGroupStats>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var queueWait = Percentiles(reader, 7);
            var runTime = Percentiles(reader, 8);
            groups.Add(new HistoryGroupStats(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                queueWait?[0], queueWait?[1], runTime?[0], runTime?[1]));
        }

        await reader.NextResultAsync(cancellationToken);
        var daily = new List<DailyCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            daily.Add(new DailyCount(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt32(2)));
        }

        await reader.NextResultAsync(cancellationToken);
        var jobs = new List<HistoryJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new HistoryJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Labels(reader.GetString(4)),
                reader.GetString(5), NullableString(reader, 6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return new HistoryData(groups, daily, jobs);
    }

    /// <summary>Parameters $1..$6 of <see cref="HistoryWhere"/>.</summary>
    private static NpgsqlBatchCommand Filtered(string sql, HistoryFilter filter)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = filter.Start });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = filter.End });
        foreach (var value in new[] { filter.Entity, filter.Pool, filter.Status, filter.Repo })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        return command;
    }

    /// <summary>job_labels as stored: a JSON array of strings (ghfe's), or anything older rows hold.</summary>
    private static IReadOnlyList<string> Labels(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [json];
        }
    }

    private static string? NullableString(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>p50 and p95, or null when no job of the group has the measure.</summary>
    private static double[]? Percentiles(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetFieldValue<double[]>(column);
}
