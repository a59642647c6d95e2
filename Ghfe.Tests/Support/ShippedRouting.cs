using Ghfe.Configuration;
using Ghfe.Webhook;

namespace Ghfe.Tests.Support;

/// <summary>The routing file the service ships, loaded as staging and as prod.</summary>
public static class ShippedRouting
{
    public static readonly RoutingConfig Staging = Load(prod: false);

    public static readonly RoutingConfig Prod = Load(prod: true);

    /// <summary>As the service runs without STAGING_URL: nothing is forwarded.</summary>
    public static WebhookSettings Settings(bool prod = false) =>
        new([Deliveries.SecretBytes], (prod ? Prod : Staging).Routing, LiveRouting.ForwardingOf(Environment(prod), prod ? Prod : Staging), (prod ? Prod : Staging).Admission);

    private static GhfeSettings Environment(bool prod) =>
        new([Deliveries.Secret], null, prod, LanguageExt.Prelude.None, RoutingFile.ShippedPath, Microsoft.Extensions.Logging.LogLevel.Information);

    private static RoutingConfig Load(bool prod) =>
        RoutingFile.Load(RoutingFile.ShippedPath, prod).Match(Right: config => config, Left: problem => throw new InvalidOperationException(problem));
}
