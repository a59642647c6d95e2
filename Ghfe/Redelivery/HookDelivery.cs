namespace Ghfe.Redelivery;

/// <summary>
/// One attempt of one webhook delivery, as <c>GET /app/hook/deliveries</c> lists it: every
/// attempt (the original and each redelivery) shares the delivery's <see cref="Guid"/>.
/// </summary>
/// <param name="StatusCode">The answer's status; 0 when ghfe gave none (unreachable, timed out).</param>
public sealed record HookDelivery(
    long Id,
    string Guid,
    DateTimeOffset DeliveredAt,
    bool Redelivery,
    int StatusCode,
    string Event,
    string? Action,
    long? RepositoryId)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
