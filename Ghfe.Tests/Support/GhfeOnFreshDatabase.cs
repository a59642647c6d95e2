namespace Ghfe.Tests.Support;

/// <summary>
/// For a test class whose tests each talk to a ghfe of their own over HTTP: before each test a
/// new database and a ghfe on it, stopped after the test.
/// </summary>
public abstract class GhfeOnFreshDatabase(PostgresCluster cluster) : IAsyncLifetime
{
    private GhfeServer? _ghfe;

    /// <summary>The test's database: its keyword connection string.</summary>
    protected string Database { get; private set; } = string.Empty;

    protected GhfeServer Ghfe => _ghfe ?? throw new InvalidOperationException("ghfe has not started");

    public virtual async Task InitializeAsync()
    {
        Database = await cluster.CreateDatabaseAsync();
        _ghfe = await GhfeServer.StartAsync(Database);
    }

    public virtual async Task DisposeAsync()
    {
        if (_ghfe is not null)
        {
            await _ghfe.DisposeAsync();
        }
    }
}
