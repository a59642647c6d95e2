using Carter;
using Ghfe.GitHub;
using Ghfe.Observability;
using Ghfe.Pages;
using Ghfe.Proxy;

namespace Ghfe.Modules;

/// <summary>The HTTP edge: the Carter modules, what the webhook edge executes and records with, the page templates, the page limiters, the GitHub lookup of /setup.</summary>
public static class EdgeSetup
{
    public static IServiceCollection AddHttpEdge(this IServiceCollection services)
    {
        // Registered one by one: assembly scanning misses modules and picks up strays.
        services.AddCarter(
            new DependencyContextAssemblyCatalog([typeof(Program).Assembly]),
            carter => carter.WithModule<WebhookModule>().WithModule<HealthModule>().WithModule<PagesModule>().WithModule<RoutingModule>().WithModule<SetupModule>().WithModule<TraceModule>());
        services.AddSingleton<CommandExecutor>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddStagingClient();
        services.AddPages();
        services.AddSingleton<PageLimiter>();
        services.AddKeyedSingleton<PageLimiter>(PageAccess.PublicLimiter);
        services.AddSingleton<InstallationLookup>();
        return services;
    }
}
