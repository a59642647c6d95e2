namespace Ghfe.Store;

/// <summary>One request refused before its signature held, as the delivery log counts it. Header values already clipped.</summary>
public sealed record UnsignedRequest(
    DateTimeOffset ReceivedAt,
    string Outcome,
    int Status,
    string? Source,
    string? DeliveryId,
    string? UserAgent,
    double ElapsedMs);
