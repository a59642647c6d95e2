using System.Text.Json.Serialization;
using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>
/// One delivery on /deliveries: the logged row as it is (all the JSON has), with when it came as
/// text and, for a job no rule routed, a link to why.
/// </summary>
public sealed record DeliveryLine : DeliveryEntry
{
    public DeliveryLine(DeliveryEntry entry)
        : base(entry)
    {
    }

    [JsonIgnore]
    public string Received => Durations.Utc(ReceivedAt);

    /// <summary>For a job no rule routed: the explanation of its labels, which names the rule to change.</summary>
    [JsonIgnore]
    public string? ExplainUrl => Outcome == "no_matching_rule" && OwnerId is { } owner && Repository is { } repository
        ? $"/routing/explain?owner={owner}&repo={Uri.EscapeDataString(repository)}&labels={Uri.EscapeDataString(string.Join(',', Labels ?? []))}"
        : null;
}
