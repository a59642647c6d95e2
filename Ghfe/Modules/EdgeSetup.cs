using Carter;
using Ghfe.Observability;
using Ghfe.Pages;
using Ghfe.Proxy;

namespace Ghfe.Modules;

/// <summary>The HTTP edge: the Carter modules, what the webhook edge executes and records with, the page templates.</summary>
public static class EdgeSetup
{
    public static IServiceCollection AddHttpEdge(this IServiceCollection services)
    {
        // Registered one by one: assembly scanning misses modules and picks up strays.
        services.AddCarter(
            new DependencyContextAssemblyCatalog([typeof(Program).Assembly]),
            carter => carter.WithModule<WebhookModule>().WithModule<HealthModule>().WithModule<PagesModule>().WithModule<RoutingModule>().WithModule<TraceModule>());
        services.AddSingleton<CommandExecutor>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddStagingClient();
        services.AddPages();
        services.AddSingleton<PageLimiter>();
        return services;
    }
}
