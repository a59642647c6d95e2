using Npgsql;

namespace Ghfe.Tests.Support;

/// <summary>Reads what ghfe wrote, straight from the table the scheduler reads.</summary>
public static class Rows
{
    public sealed record JobRow(
        long JobId,
        string Status,
        string Provider,
        long EntityId,
        string EntityName,
        string EntityType,
        string RepoFullName,
        long InstallationId,
        string JobLabels,
        string K8sPool,
        string K8sImage,
        string? HtmlUrl,
        string? K8sPod);

    public static async Task<IReadOnlyList<JobRow>> JobsAsync(string connectionString, string schema = "staging", long? jobId = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"""
            SELECT job_id, status::text, provider::text, entity_id, entity_name, entity_type, repo_full_name,
                   installation_id, job_labels::text, k8s_pool, k8s_image, html_url, k8s_pod
            FROM {schema}.jobs WHERE $1::bigint IS NULL OR job_id = $1 ORDER BY job_id
            """,
            connection);
        query.Parameters.Add(new NpgsqlParameter { Value = (object?)jobId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<JobRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new JobRow(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt64(7), reader.GetString(8), reader.GetString(9),
                reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return rows;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
