using Ghfe.Routing;

namespace Ghfe.Configuration;

/// <summary>
/// The routing file, validated and resolved for one environment (images carry their tag); with
/// who is refused before any rule (<see cref="Routing.Admission"/>).
/// </summary>
public sealed record RoutingConfig(RoutingTable Routing, IReadOnlyList<string> Pools, IReadOnlyList<EntityConfig> Entities, Admission Admission);
