using System.Text.Json;
using Ghfe.Configuration;

namespace Ghfe.Proxy;

/// <summary>
/// Which verified deliveries prod hands to staging: those of a repository an entity lists as
/// <c>staging</c>. Only prod forwards, and only with STAGING_URL set.
/// </summary>
/// <param name="Repositories">Owner id → its staging repository names (compared case-insensitively).</param>
public sealed record StagingForwarding(Uri? Url, IReadOnlyDictionary<long, IReadOnlySet<string>> Repositories)
{
    public static StagingForwarding From(GhfeSettings settings, RoutingConfig routing) =>
        new(
            settings.Prod ? settings.StagingUrl : null,
            routing.Entities
                .Where(entity => entity.StagingRepositories.Count > 0)
                .ToDictionary(
                    entity => entity.Id,
                    entity => (IReadOnlySet<string>)new HashSet<string>(entity.StagingRepositories, StringComparer.OrdinalIgnoreCase)));

    public bool Enabled => Url is not null && Repositories.Count > 0;

    /// <summary>
    /// Pure: where to forward this verified <c>workflow_job</c> body, or nothing to handle it here.
    /// A body too broken to tell is handled here, where it gets its 400.
    /// </summary>
    public Uri? TargetFor(ReadOnlyMemory<byte> body)
    {
        if (!Enabled)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("repository", out var repository)
                && repository.ValueKind == JsonValueKind.Object
                && repository.TryGetProperty("name", out var name)
                && name.ValueKind == JsonValueKind.String
                && repository.TryGetProperty("owner", out var owner)
                && owner.ValueKind == JsonValueKind.Object
                && owner.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.Number
                && id.TryGetInt64(out var ownerId)
                && Repositories.TryGetValue(ownerId, out var names)
                && names.Contains(name.GetString()!)
                ? Url
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The start-up line: whether forwarding is on, to where, for whom.</summary>
    public string Describe(bool prod) => (prod, Url, Repositories.Count) switch
    {
        (false, _, _) => "staging forwarding: off (this is staging: PROD is not true)",
        (true, null, _) => "staging forwarding: off (STAGING_URL is unset)",
        (true, _, 0) => "staging forwarding: off (no entity lists staging repositories)",
        _ => $"staging forwarding: on, to {Url}, for "
            + string.Join("; ", Repositories.OrderBy(r => r.Key).Select(r => $"owner {r.Key}: {string.Join(", ", r.Value.Order(StringComparer.Ordinal))}")),
    };
}
