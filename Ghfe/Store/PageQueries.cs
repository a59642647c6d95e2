using System.Data;
using System.Text.Json;
using Ghfe.History;
using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>The reads behind the pages: plain SQL on indexed columns, each page in one read transaction.</summary>
public static class PageQueries
{
    /// <summary>
    /// The live jobs /usage lists one by one: the oldest, which have waited longest. A backlog
    /// (a scheduler down for a day) is counted, not read: read whole, it grows /usage.json and
    /// ghfe's memory with the backlog, past a pod's memory limit (bench/README.md).
    /// </summary>
    public const int ListedJobs = 1000;

    /// <summary>
    /// Live rows only, through idx_jobs_live: on a big table nearly every row is completed
    /// or failed, and neither may be read here.
    /// A running job's start is started_at, which ghfe sets when it moves the job to running; a row
    /// some other writer moved there without it started when it was last updated.
    /// </summary>
    private static readonly PerGeneration<string> ActiveJobsSql = new(g => $"""
        SELECT job_id, status::text, entity_id, entity_name, job_labels::text, k8s_pool, repo_full_name, html_url, created_at,
               CASE WHEN status = 'running' THEN coalesce(started_at, updated_at) END
        FROM {g.Jobs}
        WHERE status IN ('pending', 'running')
        ORDER BY created_at, job_id
        LIMIT {ListedJobs}
        """);

    /// <summary>Every live job, counted by what /usage groups by (through idx_jobs_live too).</summary>
    private static readonly PerGeneration<string> LiveJobCountsSql = new(g => $"""
        SELECT entity_id, min(entity_name), job_labels::text, k8s_pool, status::text, count(*)::int, min(created_at)
        FROM {g.Jobs}
        WHERE status IN ('pending', 'running')
        GROUP BY entity_id, job_labels, k8s_pool, status
        """);

    /// <summary>"status != 'completed'" repeats idx_workers_active's predicate, so that the planner uses it.</summary>
    private static readonly PerGeneration<string> ActiveWorkersSql = new(g => $"""
        SELECT pod_name, status::text, entity_id, entity_name, coalesce(job_labels, '[]')::text, k8s_pool, k8s_node, created_at
        FROM {g.Workers}
        WHERE status != 'completed' AND status IN ('pending', 'running')
        """);

    /// <summary>The filter of every /history read: a created_at window (idx_jobs_created) and optional equalities.</summary>
    private const string HistoryWhere = """
        created_at >= $1 AND created_at < $2
          AND ($3::text IS NULL OR entity_name = $3 OR entity_id::text = $3)
          AND ($4::text IS NULL OR k8s_pool = $4)
          AND ($5::text IS NULL OR status::text = $5)
          AND ($6::text IS NULL OR lower(repo_full_name) = lower($6))
        """;

    private static readonly PerGeneration<string> HistoryJobsSql = new(g => $"""
        SELECT job_id, status::text, entity_name, repo_full_name, job_labels::text, k8s_pool, html_url, created_at, started_at, completed_at
        FROM {g.Jobs}
        WHERE {HistoryWhere}
        ORDER BY created_at DESC, job_id DESC
        LIMIT $7 OFFSET $8
        """);

    /// <summary>The filter of /deliveries: a received_at window (idx_deliveries_received) and optional equalities.</summary>
    private const string DeliveriesWhere = """
        received_at >= $1 AND received_at < $2
          AND ($3::text IS NULL OR outcome = $3)
          AND ($4::text IS NULL OR lower(owner_login) = lower($4) OR owner_id::text = $4)
          AND ($5::text IS NULL OR lower(repository) = lower($5))
          AND ($6::text IS NULL OR labels ? $6)
        """;

    /// <summary>The label sets no rule took ($7: <see cref="DeliveryOutcome.NoMatchingRule"/>), most frequent first.</summary>
    private const string IgnoredLabelsSql = $"""
        SELECT coalesce(labels, '[]')::text, count(*)::int
        FROM deliveries
        WHERE {DeliveriesWhere} AND outcome = $7
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20
        """;

    /// <summary>What a delivery row is read as, in the order the reader takes it.</summary>
    private const string DeliveryColumns = """
        delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository, labels::text, outcome, status, elapsed_ms, source,
        requests, samples::text, app_id, owner_type, installation_id
        """;

    private const string DeliveriesSql = $"""
        SELECT {DeliveryColumns}
        FROM deliveries
        WHERE {DeliveriesWhere}
        ORDER BY received_at DESC, id DESC
        LIMIT $7 OFFSET $8
        """;

    private static readonly PerGeneration<string> JobSql = new(g => $"""
        SELECT job_id, status::text, entity_type, entity_id, entity_name, repo_full_name, installation_id, job_labels::text,
               k8s_pool, k8s_image, html_url, created_at, updated_at, started_at, completed_at, k8s_pod, {g.Conclusion}
        FROM {g.Jobs}
        WHERE job_id = $1
        """);

    /// <summary>Bounded: a job sees a handful of deliveries, redeliveries included; a flood of copies shows its first 500.</summary>
    private const string JobDeliveriesSql = $"""
        SELECT {DeliveryColumns}
        FROM deliveries
        WHERE job_id = $1
        ORDER BY received_at, id
        LIMIT 500
        """;

    /// <summary>Bounded as the job's: GitHub's redeliveries of one delivery keep its id.</summary>
    private const string DeliverySql = $"""
        SELECT {DeliveryColumns}
        FROM deliveries
        WHERE delivery_id = $1
        ORDER BY received_at, id
        LIMIT 500
        """;

    /// <summary>Every row the delivery log holds under one delivery id, oldest first (idx_deliveries_delivery).</summary>
    public static Task<IReadOnlyList<DeliveryEntry>> DeliveryAsync(NpgsqlDataSource dataSource, string deliveryId, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, async connection =>
        {
            await using var command = new NpgsqlCommand(DeliverySql, connection) { Parameters = { new NpgsqlParameter<string> { TypedValue = deliveryId } } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return (IReadOnlyList<DeliveryEntry>)await DeliveryEntriesAsync(reader, cancellationToken);
        }, cancellationToken);

    public static Task<JobData> JobAsync(NpgsqlDataSource dataSource, long jobId, CancellationToken cancellationToken) =>
        JobAsync(dataSource, jobId, SchemaGeneration.App, cancellationToken);

    public static Task<JobData> JobAsync(NpgsqlDataSource dataSource, long jobId, SchemaGeneration generation, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, connection => JobAsync(connection, jobId, generation, cancellationToken), cancellationToken);

    private static async Task<JobData> JobAsync(NpgsqlConnection connection, long jobId, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new(JobSql[generation]) { Parameters = { new NpgsqlParameter<long> { TypedValue = jobId } } },
                new(JobDeliveriesSql) { Parameters = { new NpgsqlParameter<long> { TypedValue = jobId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        JobRow? job = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            job = new JobRow(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), Labels(reader.GetString(7)), reader.GetString(8), reader.GetString(9), NullableString(reader, 10),
                reader.GetFieldValue<DateTimeOffset>(11), reader.GetFieldValue<DateTimeOffset>(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                NullableString(reader, 15), NullableString(reader, 16));
        }

        await reader.NextResultAsync(cancellationToken);
        return new JobData(job, await DeliveryEntriesAsync(reader, cancellationToken));
    }

    public static Task<DeliveriesData> DeliveriesAsync(NpgsqlDataSource dataSource, DeliveriesFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, connection => DeliveriesAsync(connection, filter, cancellationToken), cancellationToken);

    private static async Task<DeliveriesData> DeliveriesAsync(NpgsqlConnection connection, DeliveriesFilter filter, CancellationToken cancellationToken)
    {
        NpgsqlBatchCommand Filtered(string sql) => Windowed(sql, filter.Start, filter.End, filter.Outcome?.Wire(), filter.Owner, filter.Repo, filter.Label);

        await using var batch = new NpgsqlBatch(connection);
        var ignoredLabels = Filtered(IgnoredLabelsSql);
        ignoredLabels.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DeliveryOutcome.NoMatchingRule.Wire() });
        batch.BatchCommands.Add(ignoredLabels);
        var page = Filtered(DeliveriesSql);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = filter.Limit });
        page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = filter.Offset });
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var ignored = new List<IgnoredLabels>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ignored.Add(new IgnoredLabels(Labels(reader.GetString(0)), reader.GetInt32(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        return new DeliveriesData(ignored, await DeliveryEntriesAsync(reader, cancellationToken));
    }

    /// <summary>Delivery-log rows, in the column order of <see cref="DeliveriesSql"/>.</summary>
    private static async Task<List<DeliveryEntry>> DeliveryEntriesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var deliveries = new List<DeliveryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(new DeliveryEntry(
                NullableString(reader, 0), reader.GetFieldValue<DateTimeOffset>(1), NullableString(reader, 2), NullableString(reader, 3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                NullableString(reader, 6), NullableString(reader, 7), reader.IsDBNull(8) ? null : Labels(reader.GetString(8)),
                DeliveryOutcomes.Read(reader.GetString(9)), reader.GetInt32(10), reader.GetFloat(11), NullableString(reader, 12),
                reader.GetInt32(13), reader.IsDBNull(14) ? null : UnsignedSamples.Parse(reader.GetString(14)),
                reader.IsDBNull(15) ? null : reader.GetInt64(15), NullableString(reader, 16),
                reader.IsDBNull(17) ? null : reader.GetInt64(17)));
        }

        return deliveries;
    }

    public static Task<UsageData> UsageAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        UsageAsync(dataSource, SchemaGeneration.App, cancellationToken);

    public static Task<UsageData> UsageAsync(NpgsqlDataSource dataSource, SchemaGeneration generation, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, connection => UsageAsync(connection, generation, cancellationToken), cancellationToken);

    private static async Task<UsageData> UsageAsync(NpgsqlConnection connection, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ActiveJobsSql[generation]));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LiveJobCountsSql[generation]));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ActiveWorkersSql[generation]));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var jobs = new List<ActiveJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new ActiveJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), Labels(reader.GetString(4)),
                reader.GetString(5), reader.GetString(6), NullableString(reader, 7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        await reader.NextResultAsync(cancellationToken);
        var counts = new List<LiveJobCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new LiveJobCount(
                reader.GetInt64(0), reader.GetString(1), Labels(reader.GetString(2)), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        await reader.NextResultAsync(cancellationToken);
        var workers = new List<ActiveWorker>();
        while (await reader.ReadAsync(cancellationToken))
        {
            workers.Add(new ActiveWorker(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3), Labels(reader.GetString(4)),
                reader.GetString(5), NullableString(reader, 6), reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return new UsageData(jobs, counts, workers);
    }

    /// <summary>
    /// Three round trips: which days job_days holds; the rollups of the window (stored for those
    /// days, computed from jobs for the rest); then the page of jobs, read from the days that
    /// the rollups say hold it.
    /// </summary>
    public static Task<HistoryData> HistoryAsync(NpgsqlDataSource dataSource, HistoryFilter filter, CancellationToken cancellationToken) =>
        HistoryAsync(dataSource, filter, SchemaGeneration.App, cancellationToken);

    public static Task<HistoryData> HistoryAsync(NpgsqlDataSource dataSource, HistoryFilter filter, SchemaGeneration generation, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, async connection =>
            await HistoryAsync(connection, filter, HistoryPlan.For(filter, await HistoryRollups.RolledDaysAsync(connection, cancellationToken)), generation, cancellationToken),
            cancellationToken);

    /// <param name="plan">Which days to read from job_days; tests read everything from jobs to compare.</param>
    internal static Task<HistoryData> HistoryAsync(NpgsqlDataSource dataSource, HistoryFilter filter, HistoryPlan plan, CancellationToken cancellationToken) =>
        ReadAsync(dataSource, connection => HistoryAsync(connection, filter, plan, SchemaGeneration.App, cancellationToken), cancellationToken);

    private static async Task<HistoryData> HistoryAsync(NpgsqlConnection connection, HistoryFilter filter, HistoryPlan plan, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        var rollups = new List<DayRollup>();
        await using (var batch = new NpgsqlBatch(connection))
        {
            if (plan.Rolled is { } rolled)
            {
                batch.BatchCommands.Add(Filtered(HistoryRollups.RolledSql, filter, HistoryPlan.Midnight(rolled.From), HistoryPlan.Midnight(rolled.To)));
            }

            foreach (var (from, to) in plan.Raw)
            {
                batch.BatchCommands.Add(Filtered(HistoryRollups.ComputedSql(HistoryWhere, generation), filter, from, to));
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                rollups.AddRange(await HistoryRollups.ReadAsync(reader, cancellationToken));
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        var (groups, daily) = HistorySummary.Of(rollups);
        var jobs = HistoryPlan.PageSpan(filter, daily) is { } span ? await JobsAsync(connection, filter, span, generation, cancellationToken) : [];
        return new HistoryData(groups, daily, jobs);
    }

    private static async Task<List<HistoryJob>> JobsAsync(
        NpgsqlConnection connection, HistoryFilter filter, (DateTimeOffset From, DateTimeOffset To, long Offset) span, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var page = Filtered(HistoryJobsSql[generation], filter, span.From, span.To);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = filter.PerPage });
        page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = span.Offset });
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<HistoryJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new HistoryJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Labels(reader.GetString(4)),
                reader.GetString(5), NullableString(reader, 6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return jobs;
    }

    /// <summary>Parameters $1..$6 of <see cref="HistoryWhere"/> (and of HistoryRollups.RolledWhere): a span and the filter's equalities.</summary>
    private static NpgsqlBatchCommand Filtered(string sql, HistoryFilter filter, DateTimeOffset from, DateTimeOffset to) =>
        Windowed(sql, from, to, filter.Entity, filter.Pool, filter.Status, filter.Repo);

    /// <summary>The parameters every filtered page read takes: a time window ($1, $2), then optional text equalities ($3…; null matches all).</summary>
    private static NpgsqlBatchCommand Windowed(string sql, DateTimeOffset from, DateTimeOffset to, params string?[] equalities)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to });
        foreach (var value in equalities)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        return command;
    }

    /// <summary>
    /// Every page reads this way. One read-only REPEATABLE READ transaction: a page's round trips
    /// (rolled days, rollups, the page of jobs) see one snapshot, so its numbers agree while the
    /// scheduler and the roller write. And custom plans: ghfe prepares what it sends often, and
    /// after five runs PostgreSQL would plan a prepared "$n IS NULL OR column = $n" once for all
    /// values, a plan that can use no index for the filter (bench/README.md, "Pages on a million jobs").
    /// </summary>
    private static async Task<T> ReadAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var setup = new NpgsqlBatch(connection)
        {
            BatchCommands = { new("SET TRANSACTION READ ONLY"), new("SET LOCAL plan_cache_mode = force_custom_plan") },
        })
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = await read(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
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
}
