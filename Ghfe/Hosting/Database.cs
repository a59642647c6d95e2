using Ghfe.Configuration;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Hosting;

/// <summary>
/// Where ghfe's data lives: POSTGRES_URL, or — unset — a private cluster under the working
/// directory for trying ghfe out, stopped when ghfe stops. One <see cref="NpgsqlDataSource"/> for the app.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private Database(NpgsqlConnectionStringBuilder connection, EmbeddedPostgres? embedded)
    {
        Connection = connection;
        DataSource = NpgsqlDataSource.Create(connection);
        _embedded = embedded;
    }

    public NpgsqlConnectionStringBuilder Connection { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Throws <see cref="StartupException"/> for a malformed POSTGRES_URL or an embedded cluster that does not start.</summary>
    public static async Task<Database> OpenAsync(GhfeSettings settings, CancellationToken cancellationToken)
    {
        if (settings.PostgresUrl is { } url)
        {
            return new Database(ConnectionTuning.Apply(StartupException.OrStop(PostgresUrl.Parse(url)), settings.Schema), null);
        }

        try
        {
            var embedded = await EmbeddedPostgres.StartAsync(Path.Combine(".ghfe", "postgres"), durable: true, deleteOnStop: false, cancellationToken);
            return new Database(ConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(embedded.ConnectionString), settings.Schema), embedded);
        }
        catch (EmbeddedPostgresException e)
        {
            throw new StartupException($"POSTGRES_URL is unset and the embedded PostgreSQL did not start: {e.Message}");
        }
    }

    /// <summary>Says where the database is, and stops an embedded cluster once ghfe has stopped.</summary>
    public void Attach(WebApplication app, ILogger log)
    {
        if (_embedded is null)
        {
            return;
        }

        app.Lifetime.ApplicationStopped.Register(() => _embedded.StopAsync().GetAwaiter().GetResult());
        log.LogInformation(
            "embedded PostgreSQL: {ConnectionString} (psql -h 127.0.0.1 -p {Port} -U postgres {Database})",
            _embedded.ConnectionString, _embedded.Port, EmbeddedPostgres.Database);
    }

    /// <summary>For a start that failed: an embedded cluster must not outlive it.</summary>
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_embedded is not null)
        {
            await _embedded.StopAsync();
        }
    }
}
