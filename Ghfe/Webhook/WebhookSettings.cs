using Ghfe.Routing;

namespace Ghfe.Webhook;

/// <summary>What the pure pipeline needs of the configuration, as plain values.</summary>
/// <param name="Secrets">The current webhook secret, then the previous one during a rotation.</param>
/// <param name="Admission">Who is refused before staging and routing: bans, and repositories that are not public.</param>
/// <param name="Generation">The schema's generation: what a job's row holds, and whether a delivery needs its App id.</param>
public sealed record WebhookSettings(IReadOnlyList<byte[]> Secrets, RoutingTable Routing, StagingForwarding Forwarding, Admission Admission, SchemaGeneration Generation = SchemaGeneration.App);
