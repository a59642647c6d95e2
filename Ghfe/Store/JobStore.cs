using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// Executes a <see cref="JobCommand"/> against <c>jobs</c> (the search_path selects the
/// schema). Deliveries arrive out of order and more than once; every statement here is safe
/// to repeat and to race with its twins.
/// </summary>
public static class JobStore
{
    /// <summary>
    /// Forward-only: the row is locked, moves to $2 only from one of the statuses in $3, and
    /// the status it had is returned either way. No row: nothing is returned.
    /// </summary>
    private const string AdvanceSql = """
        WITH found AS (
            SELECT job_id, status FROM jobs WHERE job_id = $1 FOR UPDATE),
        advanced AS (
            UPDATE jobs SET status = $2::status_enum, updated_at = now(),
                started_at = CASE WHEN $2 = 'running' THEN coalesce(jobs.started_at, now()) ELSE jobs.started_at END,
                completed_at = CASE WHEN $2 = 'completed' THEN now() ELSE jobs.completed_at END
            FROM found
            WHERE jobs.job_id = found.job_id AND found.status::text = ANY($3)
            RETURNING jobs.job_id)
        SELECT found.status::text, EXISTS (SELECT 1 FROM advanced) FROM found
        """;

    /// <summary>
    /// A later event for a job never seen creates the row in that state, so it is not lost and
    /// a queued arriving after it finds the row (and neither resurrects it nor notifies).
    /// </summary>
    private const string RecordUnseenSql = """
        INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                          installation_id, job_labels, k8s_pool, k8s_image, html_url, started_at, completed_at)
        VALUES ($1, $11::status_enum, 'github', $2, $3, $4, $5, $6, $7, $8, $9, $10,
                CASE WHEN $11 = 'running' THEN now() END, CASE WHEN $11 = 'completed' THEN now() END)
        ON CONFLICT (job_id) DO NOTHING
        RETURNING job_id
        """;

    public static async Task<JobOutcome> ExecuteAsync(NpgsqlDataSource dataSource, string notifyChannel, JobCommand command, CancellationToken cancellationToken)
    {
        if (command is JobCommand.Enqueue)
        {
            var inserted = await EnqueueStatement.ExecuteAsync(dataSource, notifyChannel, [command.Job], cancellationToken);
            return inserted.Count > 0 ? new JobOutcome.Stored() : new JobOutcome.AlreadyExists();
        }

        // A row that appears between the two statements (its queued racing this event) is
        // simply found on the next pass; two passes always settle it.
        for (var pass = 0; pass < 3; pass++)
        {
            var found = await AdvanceAsync(dataSource, command, cancellationToken);
            if (found is not null)
            {
                return found;
            }

            await using var record = Row(dataSource.CreateCommand(RecordUnseenSql), command.Job);
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Target.ToSql() });
            if (await record.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return new JobOutcome.RecordedUnseen();
            }
        }

        throw new InvalidOperationException($"job {command.Job.JobId} neither found nor inserted after 3 passes");
    }

    private static async Task<JobOutcome?> AdvanceAsync(NpgsqlDataSource dataSource, JobCommand command, CancellationToken cancellationToken)
    {
        await using var advance = dataSource.CreateCommand(AdvanceSql);
        advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = command.Job.JobId });
        advance.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Target.ToSql() });
        advance.Parameters.Add(new NpgsqlParameter<string[]>
        {
            TypedValue = command.Target.MayAdvanceFrom().Select(status => status.ToSql()).ToArray(),
        });
        await using var reader = await advance.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var status = JobStatusText.FromSql(reader.GetString(0));
        return reader.GetBoolean(1) ? new JobOutcome.Advanced(status) : new JobOutcome.Unchanged(status);
    }

    /// <summary>Parameters $1..$10: the row's columns, in the order of the INSERT above.</summary>
    private static NpgsqlCommand Row(NpgsqlCommand command, JobRecord job)
    {
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.JobId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.EntityId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.EntityName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.EntityType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.RepoFullName });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.InstallationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LabelJson.Of(job.Labels), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Pool });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Image });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)job.HtmlUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }
}
