using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// The reads of <c>/trace</c>: an entity's events, the entity an installation or a job belongs to,
/// an event's payload. The control-plane generation reads its <c>installation_events</c> as the
/// control plane does; the app generation reads ghfe's own delivery log, which keeps no payloads,
/// and leaves out its rows of unsigned requests (counted per minute, with nothing from a body).
/// </summary>
public static class TraceQueries
{
    private sealed record Statements(string Events, string Installation, string Job, string? Payload);

    private static readonly Statements ControlPlane = new(
        """
        SELECT id, source, event, outcome, installation_id, app_id, entity_type::text, entity_id, entity_name, received_at,
               CASE WHEN event LIKE 'workflow_job.%' THEN payload->'workflow_job'->>'id' END,
               CASE WHEN event LIKE 'workflow_job.%' THEN payload->'repository'->>'full_name' END
        FROM installation_events WHERE entity_id = $1 ORDER BY received_at, id
        """,
        """
        SELECT COALESCE(
            (SELECT entity_id FROM installation_events WHERE installation_id = $1 AND entity_id IS NOT NULL ORDER BY received_at DESC LIMIT 1),
            (SELECT entity_id FROM jobs WHERE installation_id = $1 ORDER BY created_at DESC LIMIT 1))
        """,
        "SELECT entity_id FROM jobs WHERE job_id = $1",
        "SELECT payload::text FROM installation_events WHERE id = $1");

    // The entity is the owner, as in the control plane: a User's jobs rows are keyed by their
    // repository here, so only an Organization's row names it. A job no rule routed has no row.
    private static readonly Statements App = new(
        """
        SELECT id, event, action, outcome, installation_id, app_id, owner_type, owner_id, owner_login, received_at, job_id, repository
        FROM deliveries WHERE owner_id = $1 AND samples IS NULL ORDER BY received_at, id
        """,
        """
        SELECT COALESCE(
            (SELECT owner_id FROM deliveries WHERE installation_id = $1 AND owner_id IS NOT NULL AND samples IS NULL ORDER BY received_at DESC LIMIT 1),
            (SELECT entity_id FROM jobs WHERE installation_id = $1 AND entity_type = 'Organization' ORDER BY created_at DESC LIMIT 1))
        """,
        """
        SELECT COALESCE(
            (SELECT owner_id FROM deliveries WHERE job_id = $1 AND owner_id IS NOT NULL AND samples IS NULL ORDER BY received_at DESC LIMIT 1),
            (SELECT entity_id FROM jobs WHERE job_id = $1 AND entity_type = 'Organization'))
        """,
        null);

    private static Statements Of(SchemaGeneration generation) => generation == SchemaGeneration.ControlPlane ? ControlPlane : App;

    /// <summary>The entity's events, oldest first; none when it has none.</summary>
    public static async Task<IReadOnlyList<TraceEvent>> EventsAsync(NpgsqlDataSource dataSource, SchemaGeneration generation, long entityId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Of(generation).Events);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entityId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<TraceEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(generation == SchemaGeneration.ControlPlane
                ? new TraceEvent(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Number(reader, 4), Number(reader, 5), Text(reader, 6),
                    Number(reader, 7), Text(reader, 8), reader.GetFieldValue<DateTimeOffset>(9), Text(reader, 10), Text(reader, 11))
                : TraceEvent.OfDelivery(
                    reader.GetInt64(0), Text(reader, 1), Text(reader, 2), reader.GetString(3), Number(reader, 4), Number(reader, 5), Text(reader, 6),
                    Number(reader, 7), Text(reader, 8), reader.GetFieldValue<DateTimeOffset>(9), Number(reader, 10), Text(reader, 11)));
        }

        return events;
    }

    /// <summary>The entity an installation last named; none when neither its events nor its jobs say.</summary>
    public static Task<long?> InstallationEntityAsync(NpgsqlDataSource dataSource, SchemaGeneration generation, long installationId, CancellationToken cancellationToken) =>
        EntityAsync(dataSource, Of(generation).Installation, installationId, cancellationToken);

    /// <summary>The entity a job belongs to; none when ghfe never heard of the job.</summary>
    public static Task<long?> JobEntityAsync(NpgsqlDataSource dataSource, SchemaGeneration generation, long jobId, CancellationToken cancellationToken) =>
        EntityAsync(dataSource, Of(generation).Job, jobId, cancellationToken);

    /// <summary>The event's payload as JSON text; none when there is no such event, and always none in the app generation.</summary>
    public static async Task<string?> PayloadAsync(NpgsqlDataSource dataSource, SchemaGeneration generation, long eventId, CancellationToken cancellationToken)
    {
        if (Of(generation).Payload is not { } sql)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = eventId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<long?> EntityAsync(NpgsqlDataSource dataSource, string sql, long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteScalarAsync(cancellationToken) is long entity ? entity : null;
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static long? Number(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
