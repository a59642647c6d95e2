using System.Text.Json.Nodes;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Tests.Support;

/// <summary>The control-plane generation as its scheduler and its diagnostics see it: deliveries with the App id, its rows read back.</summary>
public static class ControlPlane
{
    public const string AppId = "987654";

    public static readonly (string, string) Setting = ("GHFE_SCHEMA_GENERATION", "control-plane");

    /// <summary>A signed delivery with X-GitHub-Hook-Installation-Target-Id (none when <paramref name="appId"/> is null).</summary>
    public static Task<(int Status, string Text)> DeliverAsync(GhfeServer ghfe, string eventName, byte[] body, string? appId = AppId)
    {
        var delivery = Deliveries.Signed(eventName, body, Guid.NewGuid().ToString());
        List<(string, string)> headers = [(Event.Header, eventName), (Signature.Header, delivery.Signature!), (Event.DeliveryHeader, delivery.DeliveryId!)];
        if (appId is not null)
        {
            headers.Add((Headers.AppId, appId));
        }

        return ghfe.SendAsync(body, [.. headers]);
    }

    /// <summary>A workflow_job delivery of <paramref name="action"/> for <paramref name="jobId"/>, GitHub's fields as given (null removes one).</summary>
    public static byte[] Job(string action, long jobId, long owner = 21003710, string login = "pytorch", string type = "Organization", string repository = "pytorch/pytorch",
        string[]? labels = null, params (string Field, JsonNode? Value)[] fields)
    {
        var payload = Payloads.Queued(labels, owner, login, type, repository);
        payload["action"] = action;
        var job = payload["workflow_job"]!.AsObject();
        job["id"] = jobId;
        foreach (var (field, value) in fields)
        {
            if (value is null)
            {
                job.Remove(field);
            }
            else
            {
                job[field] = value;
            }
        }

        return Payloads.Serialize(payload);
    }

    public sealed record JobRow(
        long JobId, string Status, string Provider, long EntityId, string EntityName, string EntityType, string RepoFullName, long InstallationId,
        string JobLabels, string K8sSelector, string K8sImage, string? K8sPod, string? HtmlUrl, string? JobName, string? JobConclusion,
        DateTimeOffset? JobCreatedAt, DateTimeOffset? JobStartedAt, DateTimeOffset? JobCompletedAt);

    public sealed record EventRow(
        string Source, string Event, string Outcome, long? InstallationId, long? AppId, string? EntityType, long? EntityId, string? EntityName, JsonObject Payload);

    public static async Task<IReadOnlyList<JobRow>> JobsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            SELECT job_id, status::text, provider::text, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                   job_labels::text, k8s_selector::text, k8s_image, k8s_pod, html_url, job_name, job_conclusion,
                   job_created_at, job_started_at, job_completed_at
            FROM staging.jobs ORDER BY job_id
            """,
            connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<JobRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new JobRow(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                reader.GetInt64(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), Text(reader, 11), Text(reader, 12), Text(reader, 13),
                Text(reader, 14), Time(reader, 15), Time(reader, 16), Time(reader, 17)));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<EventRow>> EventsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            SELECT source, event, outcome, installation_id, app_id, entity_type::text, entity_id, entity_name, payload::text
            FROM staging.installation_events ORDER BY id
            """,
            connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<EventRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new EventRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), Number(reader, 3), Number(reader, 4), Text(reader, 5), Number(reader, 6),
                Text(reader, 7), JsonNode.Parse(reader.GetString(8))!.AsObject()));
        }

        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static long? Number(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);
}
