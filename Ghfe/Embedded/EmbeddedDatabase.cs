using Ghfe.Hosting;

namespace Ghfe.Embedded;

/// <summary>
/// ghfe's own use of <see cref="EmbeddedPostgres"/> when POSTGRES_URL is unset: a cluster in
/// <c>.ghfe/postgres</c> under the working directory, shared by every ghfe started there, that
/// the last one out stops — whether ghfe stops normally or never started (a taken port).
/// </summary>
public static class EmbeddedDatabase
{
    public static string DataDirectory => Path.GetFullPath(Path.Combine(".ghfe", "postgres"));

    /// <summary>
    /// Starts or joins the cluster; the service container owns it from then on, so disposing the
    /// application leaves it even when the application never ran. Throws <see cref="StartupException"/>.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(IServiceCollection services, CancellationToken cancellationToken)
    {
        EmbeddedPostgres cluster;
        try
        {
            cluster = await EmbeddedPostgres.StartAsync(DataDirectory, durable: true, deleteOnStop: false, cancellationToken);
        }
        catch (EmbeddedPostgresException e)
        {
            throw new StartupException($"POSTGRES_URL is unset and the embedded PostgreSQL did not start: {e.Message}");
        }

        services.AddSingleton(_ => cluster);
        return cluster;
    }

    /// <summary>Says where the cluster runs, and leaves it when ghfe stops.</summary>
    public static void Attach(WebApplication app, EmbeddedPostgres cluster, ILogger log)
    {
        // Resolved once, so that the container disposes it (and the cluster is left) with the application.
        _ = app.Services.GetRequiredService<EmbeddedPostgres>();
        cluster.Log = log;
        app.Lifetime.ApplicationStopped.Register(() => cluster.StopAsync().GetAwaiter().GetResult());
        log.LogInformation(
            "embedded PostgreSQL {How}: {ConnectionString} (psql -h 127.0.0.1 -p {Port} -U postgres {Database})",
            cluster.Describe(), cluster.ConnectionString, cluster.Port, EmbeddedPostgres.Database);
    }
}
