namespace Ghfe.Redelivery;

/// <summary>One page of <c>GET /app/hook/deliveries</c>, read item by item.</summary>
/// <param name="Attempts">The items that read as GitHub documents them.</param>
/// <param name="Skipped">One line per item that did not, saying which and why.</param>
public sealed record DeliveryPage(IReadOnlyList<HookDelivery> Attempts, IReadOnlyList<string> Skipped);
