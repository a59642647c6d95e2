using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// Executes a <see cref="JobCommand"/> against <c>jobs</c> (the search_path selects the
/// schema), in the schema's generation. Deliveries arrive out of order and more than once; every
/// statement here is safe to repeat and to race with its twins. A command that carries its
/// delivery's <c>installation_events</c> row writes it in the same transaction as the job.
/// </summary>
public static class JobStore
{
    /// <summary>
    /// Forward-only: the row is locked, moves to $2 only from one of the statuses in $3, and
    /// the status it had is returned either way. No row: nothing is returned. In the app
    /// generation ghfe notes when it moved the job; in the control plane's, GitHub's account
    /// ($4 runner, $5 started, $6 completed, $7 conclusion) fills what is still empty, and a
    /// missing value leaves it so.
    /// </summary>
    private static readonly PerGeneration<string> AdvanceSql = new(g => $"""
        WITH found AS (
            SELECT job_id, status FROM jobs WHERE job_id = $1 FOR UPDATE),
        advanced AS (
            UPDATE jobs SET status = $2::status_enum, updated_at = now(),
                {(g.Generation == SchemaGeneration.ControlPlane ? ControlPlaneAdvance : AppAdvance)}
            FROM found
            WHERE jobs.job_id = found.job_id AND found.status::text = ANY($3)
            RETURNING jobs.job_id)
        SELECT found.status::text, EXISTS (SELECT 1 FROM advanced) FROM found
        """);

    private const string AppAdvance = """
        started_at = CASE WHEN $2 = 'running' THEN coalesce(jobs.started_at, now()) ELSE jobs.started_at END,
                completed_at = CASE WHEN $2 = 'completed' THEN now() ELSE jobs.completed_at END
        """;

    private const string ControlPlaneAdvance = """
        k8s_pod = COALESCE(jobs.k8s_pod, $4),
                job_started_at = COALESCE(jobs.job_started_at, $5),
                job_completed_at = CASE WHEN $2 = 'completed' THEN COALESCE(jobs.job_completed_at, $6) ELSE jobs.job_completed_at END,
                job_conclusion = CASE WHEN $2 = 'completed' THEN COALESCE(jobs.job_conclusion, $7) ELSE jobs.job_conclusion END
        """;

    /// <summary>
    /// A later event for a job never seen creates the row in that state, so it is not lost and
    /// a queued arriving after it finds the row (and neither resurrects it nor notifies).
    /// </summary>
    private static readonly PerGeneration<string> RecordUnseenSql = new(g => g.Generation == SchemaGeneration.ControlPlane
        ? """
          INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                            installation_id, job_labels, k8s_selector, k8s_image, html_url,
                            job_name, job_created_at, k8s_pod, job_started_at, job_completed_at, job_conclusion)
          VALUES ($1, $11::status_enum, 'github', $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10,
                  $12, $13, $14, $15, CASE WHEN $11 = 'completed' THEN $16 END, CASE WHEN $11 = 'completed' THEN $17 END)
          ON CONFLICT (job_id) DO NOTHING
          RETURNING job_id
          """
        : """
          INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                            installation_id, job_labels, k8s_pool, k8s_image, html_url, started_at, completed_at)
          VALUES ($1, $11::status_enum, 'github', $2, $3, $4, $5, $6, $7, $8, $9, $10,
                  CASE WHEN $11 = 'running' THEN now() END, CASE WHEN $11 = 'completed' THEN now() END)
          ON CONFLICT (job_id) DO NOTHING
          RETURNING job_id
          """);

    private const string EventSql = """
        INSERT INTO installation_events (source, event, outcome, installation_id, app_id, entity_type, entity_id, entity_name, payload)
        VALUES ('webhook', $1, $2, $3, $4, $5::entity_type_enum, $6, $7, $8::jsonb)
        """;

    /// <summary>In the app generation.</summary>
    public static Task<JobOutcome> ExecuteAsync(NpgsqlDataSource dataSource, string notifyChannel, JobCommand command, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, notifyChannel, SchemaGeneration.App, command, cancellationToken);

    public static async Task<JobOutcome> ExecuteAsync(NpgsqlDataSource dataSource, string notifyChannel, SchemaGeneration generation, JobCommand command, CancellationToken cancellationToken)
    {
        if (command is JobCommand.Enqueue)
        {
            var inserted = await EnqueueStatement.ExecuteAsync(dataSource, notifyChannel, generation, [Enqueued.Of(command)], cancellationToken);
            return inserted.Count > 0 ? new JobOutcome.Stored() : new JobOutcome.AlreadyExists();
        }

        var withEvent = generation == SchemaGeneration.ControlPlane && command.Event is not null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = withEvent ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var outcome = await MoveAsync(connection, transaction, generation, command, cancellationToken);
        if (withEvent)
        {
            await using var record = Event(new NpgsqlCommand(EventSql, connection, transaction), command.Event!, ControlPlaneOutcome.Of(outcome.Outcome, command.Target)!);
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction!.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    private static async Task<JobOutcome> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, SchemaGeneration generation, JobCommand command, CancellationToken cancellationToken)
    {
        // A row that appears between the two statements (its queued racing this event) is
        // simply found on the next pass; two passes always settle it.
        for (var pass = 0; pass < 3; pass++)
        {
            var found = await AdvanceAsync(connection, transaction, generation, command, cancellationToken);
            if (found is not null)
            {
                return found;
            }

            await using var record = Row(new NpgsqlCommand(RecordUnseenSql[generation], connection, transaction), command.Job, generation);
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Target.ToSql() });
            if (generation == SchemaGeneration.ControlPlane)
            {
                var details = command.Job.Details ?? JobDetails.None;
                record.Parameters.Add(Text(details.Name));
                record.Parameters.Add(Timestamp(details.CreatedAt));
                AddProgress(record, details);
            }

            if (await record.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return new JobOutcome.RecordedUnseen();
            }
        }

        throw new InvalidOperationException($"job {command.Job.JobId} neither found nor inserted after 3 passes");
    }

    /// <summary>What GitHub says of a job's run, in the order both statements of the control-plane generation take it: runner, started, completed, conclusion.</summary>
    private static void AddProgress(NpgsqlCommand command, JobDetails details)
    {
        command.Parameters.Add(Text(details.RunnerName));
        command.Parameters.Add(Timestamp(details.StartedAt));
        command.Parameters.Add(Timestamp(details.CompletedAt));
        command.Parameters.Add(Text(details.Conclusion));
    }

    private static async Task<JobOutcome?> AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, SchemaGeneration generation, JobCommand command, CancellationToken cancellationToken)
    {
        await using var advance = new NpgsqlCommand(AdvanceSql[generation], connection, transaction);
        advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = command.Job.JobId });
        advance.Parameters.Add(new NpgsqlParameter<string> { TypedValue = command.Target.ToSql() });
        advance.Parameters.Add(new NpgsqlParameter<string[]>
        {
            TypedValue = command.Target.MayAdvanceFrom().Select(status => status.ToSql()).ToArray(),
        });
        if (generation == SchemaGeneration.ControlPlane)
        {
            AddProgress(advance, command.Job.Details ?? JobDetails.None);
        }

        await using var reader = await advance.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var status = JobStatusText.FromSql(reader.GetString(0));
        return reader.GetBoolean(1) ? new JobOutcome.Advanced(status) : new JobOutcome.Unchanged(status);
    }

    /// <summary>Parameters $1..$10: the row's columns, in the order of the INSERT above ($8: the pool, or the control plane's selector).</summary>
    private static NpgsqlCommand Row(NpgsqlCommand command, JobRecord job, SchemaGeneration generation)
    {
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.JobId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.EntityId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.EntityName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.EntityType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.RepoFullName });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = job.InstallationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LabelJson.Of(job.Labels), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(generation == SchemaGeneration.ControlPlane
            ? new NpgsqlParameter<string> { TypedValue = Selector.Of(job), NpgsqlDbType = NpgsqlDbType.Jsonb }
            : new NpgsqlParameter<string> { TypedValue = job.Pool });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Image });
        command.Parameters.Add(Text(job.HtmlUrl));
        return command;
    }

    /// <summary>Parameters $1..$8 of <see cref="EventSql"/>.</summary>
    private static NpgsqlCommand Event(NpgsqlCommand command, InstallationEvent row, string outcome)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Event });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome });
        command.Parameters.Add(Number(row.InstallationId));
        command.Parameters.Add(Number(row.AppId));
        command.Parameters.Add(Text(row.EntityType));
        command.Parameters.Add(Number(row.EntityId));
        command.Parameters.Add(Text(row.EntityName));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Number(long? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter Timestamp(DateTimeOffset? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
