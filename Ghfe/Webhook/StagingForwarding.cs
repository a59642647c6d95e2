using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// Which verified deliveries prod hands to staging: those of a repository an entity lists as
/// <c>staging</c>, and every one of an entity that is <c>"staging": true</c>. Only prod
/// forwards, and only with STAGING_URL set.
/// </summary>
/// <param name="Repositories">Owner id → its staging repository names (compared case-insensitively).</param>
/// <param name="Entities">Owner ids whose every repository goes to staging.</param>
public sealed record StagingForwarding(Option<Uri> Url, IReadOnlyDictionary<long, IReadOnlySet<string>> Repositories, IReadOnlySet<long> Entities)
{
    /// <summary>Where to forward this verified <c>workflow_job</c> delivery, or nothing to handle it here.</summary>
    public Option<Uri> TargetFor(Payload payload) =>
        Url.Filter(_ => Listed(payload.Repository));

    private bool Listed(Payload.Node repository) =>
        repository.Child("owner")["id"].Int64 is { } ownerId
        && (Entities.Contains(ownerId)
            || (repository["name"].Text is { } name && Repositories.TryGetValue(ownerId, out var names) && names.Contains(name)));

    /// <summary>The start-up line: whether forwarding is on, to where, for whom.</summary>
    public string Describe(bool prod) => Url.Match(
        Some: url => (prod, Repositories.Count + Entities.Count) switch
        {
            (false, _) => "staging forwarding: off (this is staging: PROD is not true)",
            (true, 0) => "staging forwarding: off (no entity lists staging repositories)",
            _ => $"staging forwarding: on, to {url}, for "
                + string.Join("; ", Entities.Order().Select(owner => $"owner {owner}: all repositories")
                    .Concat(Repositories.OrderBy(r => r.Key).Select(r => $"owner {r.Key}: {string.Join(", ", r.Value.Order(StringComparer.Ordinal))}"))),
        },
        None: () => prod ? "staging forwarding: off (STAGING_URL is unset)" : "staging forwarding: off (this is staging: PROD is not true)");
}
