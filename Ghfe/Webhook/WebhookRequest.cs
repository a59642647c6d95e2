namespace Ghfe.Webhook;

/// <summary>
/// The parts of an HTTP delivery the pipeline reads, as plain values: the edge copies them
/// out of the request (header names are case-insensitive there), tests build them directly.
/// A missing header is null or empty. <c>AppId</c>: X-GitHub-Hook-Installation-Target-Id.
/// </summary>
public sealed record WebhookRequest(
    string? Event,
    string? Signature,
    string? DeliveryId,
    ReadOnlyMemory<byte> Body,
    string? AppId = null);
