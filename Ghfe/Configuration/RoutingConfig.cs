using Ghfe.Routing;

namespace Ghfe.Configuration;

/// <summary>The routing file, validated and resolved for one environment (images carry their tag).</summary>
public sealed record RoutingConfig(RoutingTable Routing, IReadOnlyList<string> Pools, IReadOnlyList<EntityConfig> Entities);
