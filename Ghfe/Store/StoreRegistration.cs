using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Observability;
using Ghfe.Webhook;
using Npgsql;
using Prometheus;

namespace Ghfe.Store;

/// <summary>The store's services, and the schema made before the first delivery.</summary>
public static class StoreRegistration
{
    /// <summary>
    /// Everything that reads or writes PostgreSQL (and the journal that stands in for it): the
    /// data sources (the deliveries' and the pages'), the durable path of a command, and the background writers (journal replay,
    /// history rollups, the delivery log, the queue gauges). Needs a <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddStore(this IServiceCollection services, GhfeSettings settings, NpgsqlDataSource dataSource, PagesDataSource pagesDataSource)
    {
        services.AddSingleton(dataSource);
        services.AddSingleton(_ => pagesDataSource);   // made by a factory: the container closes it as ghfe stops
        services.AddSingleton(_ =>
        {
            var state = new DatabaseState();
            state.Expect(settings.SchemaGeneration ?? SchemaGeneration.App);
            return state;
        });
        services.AddSingleton<HostKnowledge>();
        var journal = new Journal(settings.SpoolDirectory);
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => GhfeMetrics.JournalBacklog.Set(journal.Backlog));
        services.AddSingleton(journal);
        services.AddSingleton(provider => new EnqueueBatcher(dataSource, settings.NotifyChannel, provider.GetRequiredService<DatabaseState>()));
        services.AddSingleton<DurableStore>();
        services.AddHostedService<JournalReplayer>();
        services.AddSingleton<HistoryRoller>();
        services.AddHostedService(provider => provider.GetRequiredService<HistoryRoller>());
        services.AddSingleton(provider => new DeliveryLog(
            dataSource,
            provider.GetRequiredService<DatabaseState>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DeliveryLog>>(),
            TimeSpan.FromDays(settings.DeliveryRetentionDays)));
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryLog>());
        services.AddSingleton<QueueGauges>();
        services.AddHostedService(provider => provider.GetRequiredService<QueueGauges>());
        return services;
    }

    /// <summary>
    /// Makes the schema before the first delivery. A database that is merely unreachable is no
    /// reason to stay down: ghfe starts, spools, and the replayer makes the schema when it
    /// answers. A database that answers with an error (credentials, permissions) stops start-up.
    /// </summary>
    public static async Task PrepareSchemaAsync(this WebApplication app, NpgsqlConnectionStringBuilder connection, ILogger log, CancellationToken cancellationToken)
    {
        var schema = connection.SearchPath!;
        try
        {
            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            var configured = app.Services.GetRequiredService<GhfeSettings>().SchemaGeneration;
            var generation = await Schema.EnsureAsync(dataSource, schema, configured, cancellationToken);
            app.Services.GetRequiredService<DatabaseState>().MarkSchemaReady(generation);
            log.LogInformation("schema {Schema}: the {Generation} generation", schema, generation.Name());
            log.LogInformation("commits {Commits}", (await CommitWait.ReadAsync(dataSource, cancellationToken)).Describe());
        }
        catch (SchemaGenerationConflict e)
        {
            throw new StartupException(e.Message);
        }
        catch (Exception e) when (Transient.Is(e))
        {
            log.LogWarning("PostgreSQL at {Database} does not answer ({Problem}): starting anyway, spooling deliveries until it does", PostgresUrl.Describe(connection), e.Message);
        }
        catch (Exception e) when (e is NpgsqlException)
        {
            throw new StartupException($"cannot prepare schema {schema} in PostgreSQL at {PostgresUrl.Describe(connection)}: {e.Message}");
        }
    }
}
