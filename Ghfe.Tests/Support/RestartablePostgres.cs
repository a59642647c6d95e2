using Ghfe.Embedded;
using Npgsql;

namespace Ghfe.Tests.Support;

/// <summary>
/// A durable embedded PostgreSQL of one test's own, to stop (an outage) and start again on the
/// same port and data; its directory goes with it.
/// </summary>
public sealed class RestartablePostgres : IAsyncDisposable
{
    private readonly string _directory;
    private EmbeddedPostgres _postgres;

    private RestartablePostgres(string directory, EmbeddedPostgres postgres)
    {
        _directory = directory;
        _postgres = postgres;
    }

    public string ConnectionString => _postgres.ConnectionString;

    /// <param name="name">A word for its directory under the temporary folder.</param>
    public static async Task<RestartablePostgres> StartAsync(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-{name}-{Guid.NewGuid():N}");
        return new RestartablePostgres(directory, await EmbeddedPostgres.StartAsync(directory, durable: true, deleteOnStop: false, CancellationToken.None));
    }

    public Task StopAsync() => _postgres.StopAsync();

    /// <summary>Started again where it was; the test's own pooled connections died with the server, so they are dropped.</summary>
    public async Task RestartAsync()
    {
        _postgres = await EmbeddedPostgres.StartAsync(_directory, durable: true, deleteOnStop: false, CancellationToken.None, _postgres.Port);
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _postgres.StopAsync();
        }
        finally
        {
            EmbeddedPostgres.Delete(_directory);
        }
    }
}
