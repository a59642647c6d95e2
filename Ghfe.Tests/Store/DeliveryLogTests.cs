using Ghfe.Store;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>The delivery log's writer: batches that survive a stop, and commits that leave the shared pool as they found it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryLogTests(PostgresCluster cluster)
{
    [Fact]
    public async Task What_is_gathered_when_ghfe_stops_still_goes_in()
    {
        await using var dataSource = await DataSourceAsync(maxPoolSize: 4);
        var log = await StartAsync(dataSource);

        Record(log, 25);
        await log.StopAsync(CancellationToken.None);

        Assert.Equal(25L, await CountAsync(dataSource));
    }

    [Fact]
    public async Task Its_relaxed_commits_leave_the_pooled_connection_waiting_for_the_disk()
    {
        // One connection, shared with the jobs' writes as in ghfe (pooled connections are not reset).
        await using var dataSource = await DataSourceAsync(maxPoolSize: 1);
        var log = await StartAsync(dataSource);

        Record(log, 10);
        for (var i = 0; i < 50 && await CountAsync(dataSource) < 10; i++)
        {
            await Task.Delay(50);
        }

        await log.StopAsync(CancellationToken.None);
        Assert.Equal(10L, await CountAsync(dataSource));
        await using var show = dataSource.CreateCommand("SHOW synchronous_commit");
        Assert.Equal("on", await show.ExecuteScalarAsync());
    }

    private async Task<NpgsqlDataSource> DataSourceAsync(int maxPoolSize)
    {
        var (_, dataSource) = await cluster.CreateStoreAsync(connection =>
        {
            connection.MaxPoolSize = maxPoolSize;
            // The test cluster runs without synchronous commits; a session of this pool starts with them, as in production.
            connection.Options += " -c synchronous_commit=on";
        });
        return dataSource;
    }

    private static async Task<DeliveryLog> StartAsync(NpgsqlDataSource dataSource)
    {
        var state = new DatabaseState();
        state.MarkSchemaReady();
        var log = new DeliveryLog(dataSource, state, TimeProvider.System, NullLogger<DeliveryLog>.Instance, TimeSpan.FromDays(14));
        await log.StartAsync(CancellationToken.None);
        return log;
    }

    private static void Record(DeliveryLog log, int count)
    {
        for (var i = 0; i < count; i++)
        {
            log.Record(new DeliveryEntry($"d-{i}", DateTimeOffset.UtcNow, "workflow_job", "queued", 1000 + i, 42, "someone", "someone/project",
                ["ubuntu-24.04-riscv"], DeliveryOutcome.Stored, 200, 1.5, "127.0.0.1"));
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource)
    {
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM deliveries");
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
