using Ghfe.Embedded;
using Npgsql;

namespace Ghfe.Tests.Embedded;

[Trait("Speed", "Slow")]
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task Keeps_its_data_across_restarts()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-embedded-{Guid.NewGuid():N}");
        try
        {
            var first = await EmbeddedPostgres.StartAsync(directory, durable: true, deleteOnStop: false, CancellationToken.None);
            await Execute(first.ConnectionString, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
            await first.StopAsync();
            Assert.False(await CanConnect(first.ConnectionString), "the first cluster stopped");

            await using var second = await EmbeddedPostgres.StartAsync(directory, durable: true, deleteOnStop: true, CancellationToken.None);
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT x FROM kept", connection);

            Assert.Equal(42, await read.ExecuteScalarAsync());
        }
        finally
        {
            EmbeddedPostgres.Delete(directory);
        }
    }

    [Fact]
    public async Task A_second_start_joins_the_running_cluster_and_only_the_last_stop_stops_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-embedded-{Guid.NewGuid():N}");
        try
        {
            var first = await EmbeddedPostgres.StartAsync(directory, durable: false, deleteOnStop: true, CancellationToken.None);
            var second = await EmbeddedPostgres.StartAsync(directory, durable: false, deleteOnStop: true, CancellationToken.None);

            Assert.Equal(first.Port, second.Port);
            Assert.StartsWith("started in", first.Describe(), StringComparison.Ordinal);
            Assert.Contains("shared with 1 other ghfe", second.Describe(), StringComparison.Ordinal);

            await first.StopAsync();
            Assert.True(await CanConnect(second.ConnectionString), "the first stop left the cluster to the second");

            await second.StopAsync();
            Assert.False(await CanConnect(second.ConnectionString), "the last stop stopped it");
            Assert.False(Directory.Exists(directory) || File.Exists(directory + ".lock") || Directory.Exists(directory + ".clients"), "and deleted it, with its lock and client files");
        }
        finally
        {
            EmbeddedPostgres.Delete(directory);
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
