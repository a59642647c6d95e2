using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>
/// One answered delivery: the row the delivery log writes and /deliveries reads. Unsigned requests
/// carry nothing from their body, and are one row per minute, source and outcome. Not sealed:
/// /deliveries shows it as a <c>DeliveryLine</c>, the same row with text for people.
/// </summary>
/// <param name="ReceivedAt">For unsigned requests, the start of their minute.</param>
/// <param name="ElapsedMs">For unsigned requests, the mean over the row's requests.</param>
/// <param name="Requests">How many requests the row stands for: more than one only for unsigned ones.</param>
/// <param name="Samples">For unsigned requests: a few of their delivery ids and user agents (null on every other row).</param>
/// <param name="AppId">The GitHub App the delivery came through (<see cref="Headers.AppId"/>); null when none said.</param>
/// <param name="OwnerType">The repository owner's type the payload names (Organization, User); with <paramref name="AppId"/>, whether the App fits.</param>
/// <param name="InstallationId">The App installation the delivery came through (<c>installation.id</c>), when it says one.</param>
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
    DeliveryOutcome Outcome,
    int Status,
    double ElapsedMs,
    string? Source,
    int Requests = 1,
    UnsignedSamples? Samples = null,
    long? AppId = null,
    string? OwnerType = null,
    long? InstallationId = null);
