using Ghfe.Store;
using Ghfe.Tests.Support;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>The pages' pool: the deliveries' connection string, with a small pool, a statement timeout and short client-side bounds.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PagesDataSourceTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Pages_connect_like_deliveries_but_with_a_small_pool_and_a_statement_timeout()
    {
        var connection = ConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync()) { Timeout = 0, CommandTimeout = 60 }, "staging");
        await using var pages = PagesDataSource.For(connection);
        await using var session = await pages.Source.OpenConnectionAsync();
        await using var show = new NpgsqlBatch(session) { BatchCommands = { new("SHOW statement_timeout"), new("SHOW search_path"), new("SHOW jit") } };
        await using var reader = await show.ExecuteReaderAsync();
        var settings = new List<string>();
        do
        {
            await reader.ReadAsync();
            settings.Add(reader.GetString(0));
        }
        while (await reader.NextResultAsync());

        var built = new NpgsqlConnectionStringBuilder(pages.Source.ConnectionString);
        Assert.Equal(["5s", "staging", "off"], settings);
        Assert.Equal((4, 5, 10), (built.MaxPoolSize, built.Timeout, built.CommandTimeout));
        Assert.Equal(100, connection.MaxPoolSize);   // the deliveries' pool keeps its size
    }
}
