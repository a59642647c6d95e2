using Ghfe.Webhook;

namespace Ghfe.Configuration;

/// <summary>Everything that follows from one version of the routing file, swapped as a whole.</summary>
public sealed record RoutingSnapshot(RoutingConfig Config, WebhookSettings Webhook, string Fingerprint);

/// <summary>
/// The routing in force. A delivery reads <see cref="Current"/> once and keeps that snapshot,
/// so an edit of the file never mixes two versions within one delivery.
/// </summary>
public sealed class LiveRouting(GhfeSettings settings, IReadOnlyList<byte[]> secrets, RoutingConfig initial, string fingerprint)
{
    private RoutingSnapshot _current = Snapshot(settings, secrets, initial, fingerprint);

    public RoutingSnapshot Current => Volatile.Read(ref _current);

    public void Replace(RoutingConfig config, string fingerprint) =>
        Volatile.Write(ref _current, Snapshot(settings, secrets, config, fingerprint));

    private static RoutingSnapshot Snapshot(GhfeSettings settings, IReadOnlyList<byte[]> secrets, RoutingConfig config, string fingerprint) =>
        new(config, new WebhookSettings(secrets, config.Routing, ForwardingOf(settings, config), config.Admission), fingerprint);

    /// <summary>Only prod forwards, only with STAGING_URL set, and only the repositories an entity lists as staging (or all of an entity's).</summary>
    public static StagingForwarding ForwardingOf(GhfeSettings settings, RoutingConfig routing) =>
        new(
            settings.Prod ? settings.StagingUrl : LanguageExt.Prelude.None,
            routing.Entities
                .Where(entity => entity is { AllToStaging: false, StagingRepositories.Count: > 0 })
                .ToDictionary(
                    entity => entity.Id,
                    entity => (IReadOnlySet<string>)new HashSet<string>(entity.StagingRepositories, StringComparer.OrdinalIgnoreCase)),
            routing.Entities.Where(entity => entity.AllToStaging).Select(entity => entity.Id).ToHashSet());
}
