using Ghfe.Embedded;
using Npgsql;

namespace Ghfe.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole run, started with the service's own
/// <see cref="EmbeddedPostgres"/>; each test takes a fresh database of it.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private EmbeddedPostgres? _server;

    public EmbeddedPostgres Server => _server ?? throw new InvalidOperationException("the cluster has not started");

    public async Task InitializeAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-tests-{Guid.NewGuid():N}");
        _server = await EmbeddedPostgres.StartAsync(directory, durable: false, deleteOnStop: true, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A new, empty database; its keyword connection string.</summary>
    /// <remarks>
    /// Every test takes its own database and so its own connection pools, which Npgsql keeps open
    /// for five idle minutes by default: a whole run would pile up more connections than the
    /// cluster allows. Pools on these strings close an idle connection after a second or two.
    /// </remarks>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Server.ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return Server.ConnectionStringFor(name) + ";Connection Idle Lifetime=1;Connection Pruning Interval=1";
    }

    /// <summary>A new database with ghfe's schema ("staging"), and a data source on it with ghfe's connection settings.</summary>
    /// <param name="tune">Changes to those settings (a pool of one, a session option).</param>
    public async Task<(string Database, NpgsqlDataSource DataSource)> CreateStoreAsync(Action<NpgsqlConnectionStringBuilder>? tune = null)
    {
        var database = await CreateDatabaseAsync();
        var connection = Ghfe.Store.ConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(database), "staging");
        tune?.Invoke(connection);
        var dataSource = NpgsqlDataSource.Create(connection);
        await Ghfe.Store.Schema.EnsureAsync(dataSource, "staging", CancellationToken.None);
        return (database, dataSource);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
