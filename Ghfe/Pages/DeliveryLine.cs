using System.Text.Json.Serialization;
using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>One delivery on /deliveries: the logged row, with when it came as text and, for a job no rule routed, a link to why.</summary>
public sealed record DeliveryLine(
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
    string? Source)
{
    [JsonIgnore]
    public string Received => Durations.Utc(ReceivedAt);

    /// <summary>For a job no rule routed: the explanation of its labels, which names the rule to change.</summary>
    [JsonIgnore]
    public string? ExplainUrl => Outcome == "no_matching_rule" && OwnerId is { } owner && Repository is { } repository
        ? $"/routing/explain?owner={owner}&repo={Uri.EscapeDataString(repository)}&labels={Uri.EscapeDataString(string.Join(',', Labels ?? []))}"
        : null;

    public static DeliveryLine Of(DeliveryEntry entry) =>
        new(entry.DeliveryId, entry.ReceivedAt, entry.Event, entry.Action, entry.JobId, entry.OwnerId, entry.OwnerLogin, entry.Repository,
            entry.Labels, entry.Outcome, entry.Status, entry.ElapsedMs, entry.Source);
}
