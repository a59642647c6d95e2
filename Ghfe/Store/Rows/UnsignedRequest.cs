using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>One request refused before its signature held, as the delivery log counts it. Header values already clipped.</summary>
public sealed record UnsignedRequest(
    DateTimeOffset ReceivedAt,
    DeliveryOutcome Outcome,
    int Status,
    string? Source,
    string? DeliveryId,
    string? UserAgent,
    double ElapsedMs);
