using Ghfe.Configuration;
using Npgsql;

namespace Ghfe.Store;

public static class StoreRegistration
{
    /// <summary>
    /// Everything that reads or writes PostgreSQL (and the journal that stands in for it): the
    /// data source, the durable path of a command, and the background writers (journal replay,
    /// history rollups, the delivery log). Needs a <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddStore(this IServiceCollection services, GhfeSettings settings, NpgsqlDataSource dataSource)
    {
        services.AddSingleton(dataSource);
        services.AddSingleton<DatabaseState>();
        services.AddSingleton(new Journal(settings.SpoolDirectory));
        services.AddSingleton(_ => new EnqueueBatcher(dataSource, settings.NotifyChannel));
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
        return services;
    }
}
