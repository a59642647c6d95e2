using Ghfe.Configuration;
using Ghfe.Webhook;

namespace Ghfe.Tests.Support;

/// <summary>The routing file the service ships, loaded as staging and as prod.</summary>
public static class ShippedRouting
{
    public static readonly RoutingConfig Staging = Load(prod: false);

    public static readonly RoutingConfig Prod = Load(prod: true);

    public static WebhookSettings Settings(bool prod = false) =>
        new([Deliveries.SecretBytes], (prod ? Prod : Staging).Routing);

    private static RoutingConfig Load(bool prod) =>
        RoutingFile.Load(RoutingFile.ShippedPath, prod).Match(Right: config => config, Left: problem => throw new InvalidOperationException(problem));
}
