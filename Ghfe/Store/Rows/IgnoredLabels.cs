namespace Ghfe.Store;

/// <summary>Label sets nobody routes, by how often they were asked for: demand to see.</summary>
public sealed record IgnoredLabels(IReadOnlyList<string> Labels, int Deliveries);
