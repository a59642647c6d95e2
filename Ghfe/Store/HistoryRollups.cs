using Ghfe.History;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Jobs summed per UTC day, entity, pool and status (<see cref="DayRollup"/>): the same SQL
/// computes them from jobs for any span (the parts of a /history window not rolled up yet) and
/// fills job_days (the parts that are), so both paths give identical numbers.
/// </summary>
public static class HistoryRollups
{
    // Any fixed key: rolls of the same days by two replicas take turns.
    private const long RollLockKey = 0x67686664;

    /// <summary>The columns every rollup read returns, in <see cref="Read"/>'s order.</summary>
    private const string Columns = "day, entity_id, entity_name, k8s_pool, status::text, jobs, queue_wait_buckets, queue_wait_counts, run_time_buckets, run_time_counts";

    /// <summary>The filter of job_days reads: whole days of [$1, $2) and /history's equalities but the repository.</summary>
    public const string RolledWhere = """
        day >= ($1 AT TIME ZONE 'UTC')::date AND day < ($2 AT TIME ZONE 'UTC')::date
          AND ($3::text IS NULL OR entity_name = $3 OR entity_id::text = $3)
          AND ($4::text IS NULL OR k8s_pool = $4)
          AND ($5::text IS NULL OR status::text = $5)
        """;

    public const string RolledSql = $"SELECT {Columns} FROM job_days WHERE {RolledWhere}";

    /// <summary>Rollups of the jobs <paramref name="where"/> selects, in the columns of <see cref="RolledSql"/>.</summary>
    public static string ComputedSql(string where, SchemaGeneration generation) => $"SELECT {Columns} FROM ({FromJobs(where, GenerationSql.Of(generation))}) AS computed";

    /// <summary>Days whose jobs changed since they were rolled up (or never were), in [$1, $2).</summary>
    private static readonly PerGeneration<string> ChangedDaysSql = new(g => $"""
        SELECT now.day
        FROM ({SignaturesSql(g)}) AS now
        LEFT JOIN job_days_rolled AS rolled USING (day)
        WHERE rolled.signature IS DISTINCT FROM now.signature
        ORDER BY now.day
        """);

    /// <summary>
    /// What a day's rollup was made from, per day of [$1, $2): any job added, removed or changed
    /// in a column the rollup reads changes it. Empty days are included ('0').
    /// </summary>
    private static string SignaturesSql(GenerationSql g) => $"""
        SELECT d::date AS day, coalesce(s.signature, '0') AS signature
        FROM generate_series(($1 AT TIME ZONE 'UTC')::date, ($2 AT TIME ZONE 'UTC')::date - 1, interval '1 day') AS d
        LEFT JOIN (
            SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
                   count(*) || ':' || sum(hashtext(concat_ws('|', job_id, status, entity_id, entity_name, k8s_pool,
                                                             extract(epoch FROM created_at), extract(epoch FROM started_at),
                                                             extract(epoch FROM completed_at)))) AS signature
            FROM {g.Jobs}
            WHERE created_at >= $1 AND created_at < $2
            GROUP BY 1) AS s ON s.day = d::date
        """;

    /// <summary>
    /// One statement, so one snapshot: the rows of job_days and the signatures recorded with
    /// them describe the same jobs.
    /// </summary>
    private static readonly PerGeneration<string> RollSql = new(g => $"""
        WITH rolled AS (
            INSERT INTO job_days (day, entity_id, entity_name, k8s_pool, status, jobs,
                                  queue_wait_buckets, queue_wait_counts, run_time_buckets, run_time_counts)
            {FromJobs("created_at >= $1 AND created_at < $2", g)}
            RETURNING 1)
        INSERT INTO job_days_rolled (day, signature)
        SELECT day, signature FROM ({SignaturesSql(g)}) AS s
        ON CONFLICT (day) DO UPDATE SET signature = excluded.signature, rolled_at = now()
        """);

    /// <summary>
    /// Rollups computed from the jobs that <paramref name="where"/> selects. Queue wait counts
    /// jobs with started_at, run time jobs with both started_at and completed_at.
    /// </summary>
    private static string FromJobs(string where, GenerationSql g) => $"""
        WITH measured AS (
            SELECT (created_at AT TIME ZONE 'UTC')::date AS day, entity_id, entity_name, k8s_pool, status,
                   CASE WHEN started_at IS NOT NULL THEN {Bucket("started_at - created_at")} END AS queue_wait,
                   CASE WHEN started_at IS NOT NULL AND completed_at IS NOT NULL THEN {Bucket("completed_at - started_at")} END AS run_time
            FROM {g.Jobs}
            WHERE {where}),
        counted AS (
            SELECT day, entity_id, k8s_pool, status, max(entity_name) AS entity_name, count(*)::int AS jobs
            FROM measured GROUP BY 1, 2, 3, 4),
        {Histogram("queue_wait")},
        {Histogram("run_time")}
        SELECT c.day, c.entity_id, c.entity_name, c.k8s_pool, c.status, c.jobs,
               coalesce(q.buckets, ARRAY[]::int[]) AS queue_wait_buckets, coalesce(q.counts, ARRAY[]::int[]) AS queue_wait_counts,
               coalesce(r.buckets, ARRAY[]::int[]) AS run_time_buckets, coalesce(r.counts, ARRAY[]::int[]) AS run_time_counts
        FROM counted AS c
        LEFT JOIN queue_wait AS q USING (day, entity_id, k8s_pool, status)
        LEFT JOIN run_time AS r USING (day, entity_id, k8s_pool, status)
        """;

    /// <summary>DurationHistogram.BucketOf in SQL: eight buckets per doubling of (1 + seconds).</summary>
    private static string Bucket(string interval) =>
        $"floor({DurationHistogram.BucketsPerDoubling} * ln(1 + greatest(0, extract(epoch FROM {interval}))::float8) / ln(2))::int";

    private static string Histogram(string measure) => $"""
        {measure} AS (
            SELECT day, entity_id, k8s_pool, status, array_agg(bucket ORDER BY bucket) AS buckets, array_agg(jobs ORDER BY bucket) AS counts
            FROM (SELECT day, entity_id, k8s_pool, status, {measure} AS bucket, count(*)::int AS jobs
                  FROM measured WHERE {measure} IS NOT NULL GROUP BY 1, 2, 3, 4, 5) AS counted
            GROUP BY 1, 2, 3, 4)
        """;

    public static async Task<List<DayRollup>> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rollups = new List<DayRollup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rollups.Add(new DayRollup(
                reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                new DurationHistogram(reader.GetFieldValue<int[]>(6), reader.GetFieldValue<int[]>(7)),
                new DurationHistogram(reader.GetFieldValue<int[]>(8), reader.GetFieldValue<int[]>(9))));
        }

        return rollups;
    }

    /// <summary>
    /// The days job_days holds, [From, To): always one unbroken run (the roller only extends
    /// it at either end); anything else reads as nothing rolled up.
    /// </summary>
    public static async Task<(DateOnly From, DateOnly To)?> RolledDaysAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await RolledAsync(connection, cancellationToken) is { Broken: false } rolled ? (rolled.From, rolled.To) : null;

    /// <summary>The first and after-last day job_days_rolled holds, and whether days are missing between them; null when empty.</summary>
    public static async Task<(DateOnly From, DateOnly To, bool Broken)?> RolledAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT min(day), max(day) + 1, count(*) <> max(day) + 1 - min(day) FROM job_days_rolled HAVING count(*) > 0", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1), reader.GetBoolean(2))
            : null;
    }

    /// <summary>The UTC day of the oldest job, or null when there is none.</summary>
    public static async Task<DateOnly?> OldestDayAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT (min(created_at) AT TIME ZONE 'UTC')::date FROM jobs");
        var oldest = await command.ExecuteScalarAsync(cancellationToken);
        return oldest is DateOnly day ? day : null;
    }

    public static async Task ForgetAllAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("TRUNCATE job_days, job_days_rolled");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<DateOnly>> ChangedDaysAsync(NpgsqlDataSource dataSource, DateOnly from, DateOnly to, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ChangedDaysSql[generation]);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = HistoryPlan.Midnight(from) });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = HistoryPlan.Midnight(to) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new List<DateOnly>();
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(reader.GetFieldValue<DateOnly>(0));
        }

        return days;
    }

    /// <summary>Recomputes the days [from, to) of job_days from jobs and records them as rolled up.</summary>
    public static async Task RollAsync(NpgsqlDataSource dataSource, DateOnly from, DateOnly to, SchemaGeneration generation, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({RollLockKey})"));
        var clear = new NpgsqlBatchCommand("DELETE FROM job_days WHERE day >= $1 AND day < $2");
        clear.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = from });
        clear.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = to });
        batch.BatchCommands.Add(clear);
        var roll = new NpgsqlBatchCommand(RollSql[generation]);
        roll.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = HistoryPlan.Midnight(from) });
        roll.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = HistoryPlan.Midnight(to) });
        batch.BatchCommands.Add(roll);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
