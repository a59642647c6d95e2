using Ghfe.Configuration;
using Ghfe.Webhook;

namespace Ghfe.Tests.Support;

/// <summary>The routing file that reproduces riseproject-dev/riscv-runner's control plane, loaded as staging and as prod.</summary>
public static class ControlPlaneRouting
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "routing.control-plane.json");

    public static readonly RoutingConfig Staging = Load(prod: false);

    public static readonly RoutingConfig Prod = Load(prod: true);

    /// <summary>As the service runs it: prod forwards the staging entity to <paramref name="staging"/> when given.</summary>
    public static WebhookSettings Settings(bool prod = false, Uri? staging = null)
    {
        var config = prod ? Prod : Staging;
        var environment = new GhfeSettings(
            [Deliveries.Secret], null, prod, staging is null ? LanguageExt.Prelude.None : staging, Path, Microsoft.Extensions.Logging.LogLevel.Information);
        return new([Deliveries.SecretBytes], config.Routing, LiveRouting.ForwardingOf(environment, config), config.Admission);
    }

    private static RoutingConfig Load(bool prod) =>
        RoutingFile.Load(Path, prod).Match(Right: config => config, Left: problem => throw new InvalidOperationException(problem));
}
