using Ghfe.Hosting;
using Npgsql;

namespace Ghfe.Tests.Hosting;

public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task Keeps_its_data_across_restarts_and_recovers_from_a_cluster_left_running()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-embedded-{Guid.NewGuid():N}");
        try
        {
            var first = await EmbeddedPostgres.StartAsync(directory, durable: true, deleteOnStop: false, CancellationToken.None);
            await Execute(first.ConnectionString, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");

            // No StopAsync: as if ghfe had been killed. The next start must take the directory over.
            await using var second = await EmbeddedPostgres.StartAsync(directory, durable: true, deleteOnStop: true, CancellationToken.None);
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT x FROM kept", connection);

            Assert.Equal(42, await read.ExecuteScalarAsync());
            Assert.False(await CanConnect(first.ConnectionString) && first.Port != second.Port, "the first cluster is gone");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool> CanConnect(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Timeout=2;Pooling=false");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
