using Ghfe.Configuration;
using Ghfe.Embedded;
using Ghfe.Hosting;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Where ghfe's data lives: POSTGRES_URL, or — unset — the embedded cluster under the working
/// directory for trying ghfe out (<see cref="EmbeddedDatabase"/>). One <see cref="NpgsqlDataSource"/> for the app,
/// and a small one of their own for the pages (<see cref="PagesDataSource"/>).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private Database(NpgsqlConnectionStringBuilder connection, EmbeddedPostgres? embedded)
    {
        Connection = connection;
        DataSource = ConnectionTuning.DataSource(connection);
        PagesDataSource = PagesDataSource.For(connection);
        _embedded = embedded;
    }

    public NpgsqlConnectionStringBuilder Connection { get; }

    public NpgsqlDataSource DataSource { get; }

    public PagesDataSource PagesDataSource { get; }

    /// <summary>Throws <see cref="StartupException"/> for a malformed POSTGRES_URL or an embedded cluster that does not start.</summary>
    public static async Task<Database> OpenAsync(GhfeSettings settings, IServiceCollection services, CancellationToken cancellationToken)
    {
        if (settings.PostgresUrl is { } url)
        {
            return new Database(ConnectionTuning.Apply(StartupException.OrStop(PostgresUrl.Parse(url)), settings.Schema), null);
        }

        var embedded = await EmbeddedDatabase.StartAsync(services, cancellationToken);
        return new Database(ConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(embedded.ConnectionString), settings.Schema), embedded);
    }

    /// <summary>Says where an embedded cluster runs, and leaves it (the last ghfe out stops it) once ghfe has stopped.</summary>
    public void Attach(WebApplication app, ILogger log)
    {
        if (_embedded is not null)
        {
            EmbeddedDatabase.Attach(app, _embedded, log);
        }
    }

    /// <summary>For a start that failed: this ghfe leaves an embedded cluster (stopping it if no other ghfe uses it).</summary>
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await PagesDataSource.DisposeAsync();
        if (_embedded is not null)
        {
            await _embedded.StopAsync();
        }
    }
}
