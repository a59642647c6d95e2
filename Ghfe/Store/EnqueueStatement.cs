using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// The one statement that stores queued jobs, for a batch of deliveries and for a job replayed
/// from the journal alike. Idempotent: every id is inserted at most once (a duplicate in the
/// list, or a row already there, is skipped). One NOTIFY, whose payload lists the new ids, is
/// delivered at commit — only when something was inserted — so the scheduler is woken for
/// every new job and never for a row it cannot see yet.
/// </summary>
public static class EnqueueStatement
{
    /// <summary>Ids of up to 19 digits and a comma: 256 of them stay well under NOTIFY's 8,000-byte payload.</summary>
    public const int MaxJobs = 256;

    private const string Sql = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                 $7::jsonb[], $8::text[], $9::text[], $10::text[])
                AS t(job_id, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                     job_labels, k8s_pool, k8s_image, html_url)),
        inserted AS (
            INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                              installation_id, job_labels, k8s_pool, k8s_image, html_url)
            SELECT job_id, 'pending', 'github', entity_id, entity_name, entity_type, repo_full_name,
                   installation_id, job_labels, k8s_pool, k8s_image, html_url
            FROM input
            ON CONFLICT (job_id) DO NOTHING
            RETURNING job_id),
        wake AS (
            SELECT pg_notify($11, string_agg(job_id::text, ',')) AS sent FROM inserted HAVING count(*) > 0)
        -- wake is a plain SELECT, and PostgreSQL evaluates a WITH query only when the statement
        -- reads it: this read is what sends the NOTIFY (once, as the query's InitPlan).
        SELECT job_id, (SELECT count(*) FROM wake) FROM inserted
        """;

    /// <summary>Stores the jobs (at most <see cref="MaxJobs"/>) in one statement; the ids it inserted.</summary>
    public static async Task<HashSet<long>> ExecuteAsync(NpgsqlDataSource dataSource, string notifyChannel, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. jobs.Select(job => job.JobId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. jobs.Select(job => job.EntityId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(job => job.EntityName)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(job => job.EntityType)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(job => job.RepoFullName)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. jobs.Select(job => job.InstallationId)] });
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(job => LabelJson.Of(job.Labels)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(job => job.Pool)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. jobs.Select(job => job.Image)] });
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(job => job.HtmlUrl).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = notifyChannel });

        var inserted = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetInt64(0));
        }

        return inserted;
    }
}
