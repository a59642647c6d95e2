namespace Ghfe.Store;

/// <summary>What the store reads for one /deliveries request: the ignored label sets over the window and a page of deliveries.</summary>
public sealed record DeliveriesData(IReadOnlyList<IgnoredLabels> Ignored, IReadOnlyList<DeliveryEntry> Deliveries);
