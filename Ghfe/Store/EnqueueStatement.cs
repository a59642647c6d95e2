using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// One row of an <see cref="EnqueueStatement"/>: a queued job and, in the control-plane generation,
/// its delivery's <c>installation_events</c> row; or a delivery's row alone, with the outcome it
/// already has (<paramref name="Outcome"/>: a delivery that stores no job).
/// </summary>
public sealed record Enqueued(JobRecord? Job, InstallationEvent? Event, string? Outcome = null)
{
    public static Enqueued Of(JobCommand command) => new(command.Job, command.Event);
}

/// <summary>
/// The one statement that stores queued jobs, for a batch of deliveries and for a job replayed
/// from the journal alike, in either schema generation. Idempotent: every id is inserted at most
/// once (a duplicate in the list, or a row already there, is skipped). One NOTIFY, whose payload
/// lists the new ids, is delivered at commit — only when something was inserted — so the
/// scheduler is woken for every new job and never for a row it cannot see yet. In the
/// control-plane generation the deliveries' <c>installation_events</c> rows go in the same
/// statement, so a row says <c>job_stored</c> exactly when its job went in, and both commit or neither.
/// </summary>
public static class EnqueueStatement
{
    /// <summary>Ids of up to 19 digits and a comma: 256 of them stay well under NOTIFY's 8,000-byte payload.</summary>
    public const int MaxJobs = 256;

    /// <summary>$1…$10 the row's common columns, $11 the channel; the control plane's $12… its own and the events'.</summary>
    private static readonly PerGeneration<string> Sql = new(g => $"""
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                 $7::jsonb[], {Placement(g)}, $9::text[], $10::text[]{Extra(g, ", $12::text[], $13::timestamptz[]")})
                AS t(job_id, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                     job_labels, {PlacementColumn(g)}, k8s_image, html_url{Extra(g, ", job_name, job_created_at")})
            WHERE job_id IS NOT NULL),
        inserted AS (
            INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                              installation_id, job_labels, {PlacementColumn(g)}, k8s_image, html_url{Extra(g, ", job_name, job_created_at")})
            SELECT job_id, 'pending', 'github', entity_id, entity_name, entity_type, repo_full_name,
                   installation_id, job_labels, {PlacementColumn(g)}, k8s_image, html_url{Extra(g, ", job_name, job_created_at")}
            FROM input
            ON CONFLICT (job_id) DO NOTHING
            RETURNING job_id),
        {Extra(g, Events)}wake AS (
            SELECT pg_notify($11, string_agg(job_id::text, ',')) AS sent FROM inserted HAVING count(*) > 0)
        -- wake is a plain SELECT, and PostgreSQL evaluates a WITH query only when the statement
        -- reads it: this read is what sends the NOTIFY (once, as the query's InitPlan). (A WITH
        -- that writes, as events does, runs whether it is read or not.)
        SELECT job_id, (SELECT count(*) FROM wake) FROM inserted
        """);

    /// <summary>
    /// A row per delivery that has one: its outcome is the first argument when its job went in
    /// (the first of its id in the list), the second when not; a row without a job has both the same.
    /// </summary>
    private const string Events = """
        events AS (
            INSERT INTO installation_events (source, event, outcome, installation_id, app_id, entity_type, entity_id, entity_name, payload)
            SELECT 'webhook', e.event,
                   CASE WHEN e.first AND e.job_id IN (SELECT job_id FROM inserted) THEN e.stored ELSE e.existed END,
                   e.installation_id, e.app_id, e.entity_type::entity_type_enum, e.entity_id, e.entity_name, e.payload
            FROM unnest($1::bigint[], $14::bool[], $15::text[], $16::text[], $17::text[], $18::bigint[], $19::bigint[],
                        $20::text[], $21::bigint[], $22::text[], $23::jsonb[])
                AS e(job_id, first, event, stored, existed, installation_id, app_id, entity_type, entity_id, entity_name, payload)
            WHERE e.event IS NOT NULL),

        """;

    private static readonly string Stored = ControlPlaneOutcome.Of(DeliveryOutcome.Stored)!;

    private static readonly string AlreadyExists = ControlPlaneOutcome.Of(DeliveryOutcome.AlreadyExists)!;

    /// <summary>Stores the jobs (at most <see cref="MaxJobs"/>) in one statement, in the app generation; the ids it inserted.</summary>
    public static Task<HashSet<long>> ExecuteAsync(NpgsqlDataSource dataSource, string notifyChannel, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, notifyChannel, SchemaGeneration.App, [.. jobs.Select(job => new Enqueued(job, null))], cancellationToken);

    /// <summary>Stores the jobs and rows (at most <see cref="MaxJobs"/>) in one statement; the ids it inserted.</summary>
    public static async Task<HashSet<long>> ExecuteAsync(
        NpgsqlDataSource dataSource, string notifyChannel, SchemaGeneration generation, IReadOnlyList<Enqueued> items, CancellationToken cancellationToken)
    {
        var jobs = items.Select(item => item.Job).ToList();
        await using var command = dataSource.CreateCommand(Sql[generation]);
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(job => job?.JobId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(job => job?.EntityId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(Texts(jobs.Select(job => job?.EntityName)));
        command.Parameters.Add(Texts(jobs.Select(job => job?.EntityType)));
        command.Parameters.Add(Texts(jobs.Select(job => job?.RepoFullName)));
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(job => job?.InstallationId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(Jsons(jobs.Select(job => job is null ? null : LabelJson.Of(job.Labels))));
        command.Parameters.Add(generation == SchemaGeneration.ControlPlane
            ? Jsons(jobs.Select(job => job is null ? null : Selector.Of(job)))
            : Texts(jobs.Select(job => job?.Pool)));
        command.Parameters.Add(Texts(jobs.Select(job => job?.Image)));
        command.Parameters.Add(Texts(jobs.Select(job => job?.HtmlUrl)));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = notifyChannel });
        if (generation == SchemaGeneration.ControlPlane)
        {
            command.Parameters.Add(Texts(jobs.Select(job => job?.Details?.Name)));
            command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(job => job?.Details?.CreatedAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            var seen = new HashSet<long>();
            command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. jobs.Select(job => job is not null && seen.Add(job.JobId))] });
            command.Parameters.Add(Texts(items.Select(item => item.Event?.Event)));
            command.Parameters.Add(Texts(items.Select(item => item.Outcome ?? Stored)));
            command.Parameters.Add(Texts(items.Select(item => item.Outcome ?? AlreadyExists)));
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(item => item.Event?.InstallationId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(item => item.Event?.AppId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(Texts(items.Select(item => item.Event?.EntityType)));
            command.Parameters.Add(new NpgsqlParameter { Value = items.Select(item => item.Event?.EntityId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(Texts(items.Select(item => item.Event?.EntityName)));
            command.Parameters.Add(Jsons(items.Select(item => item.Event?.Payload)));
        }

        var inserted = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetInt64(0));
        }

        return inserted;
    }

    private static string Placement(GenerationSql g) => g.Generation == SchemaGeneration.ControlPlane ? "$8::jsonb[]" : "$8::text[]";

    private static string PlacementColumn(GenerationSql g) => g.Generation == SchemaGeneration.ControlPlane ? "k8s_selector" : "k8s_pool";

    private static string Extra(GenerationSql g, string sql) => g.Generation == SchemaGeneration.ControlPlane ? sql : string.Empty;

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Jsons(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };
}
