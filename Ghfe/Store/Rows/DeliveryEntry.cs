namespace Ghfe.Store;

/// <summary>
/// One answered delivery: the row the delivery log writes and /deliveries reads. Unverified ones
/// carry nothing from their body. Not sealed: /deliveries shows it as a <c>DeliveryLine</c>, the same
/// row with text for people.
/// </summary>
public record DeliveryEntry(
    string? DeliveryId,
    DateTimeOffset ReceivedAt,
    string? Event,
    string? Action,
    long? JobId,
    long? OwnerId,
    string? OwnerLogin,
    string? Repository,
    IReadOnlyList<string>? Labels,
    string Outcome,
    int Status,
    double ElapsedMs,
    string? Source);
