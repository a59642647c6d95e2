using System.Globalization;
using System.Text.Json.Serialization;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Pages;

/// <summary>
/// One delivery on /deliveries: the logged row as it is (all the JSON has), with when it came as
/// text and, for a job no rule routed, a link to why; for one that came through the wrong App, what to install.
/// </summary>
public sealed record DeliveryLine : DeliveryEntry
{
    public DeliveryLine(DeliveryEntry entry, AppIds apps)
        : base(entry)
    {
        App = AppAdvice.Of(entry, apps);
    }

    /// <summary>The App it came through is the wrong one for its account, or unknown: what to do; null when it fits.</summary>
    public AppAdvice? App { get; }

    /// <summary>When it came; for a row of unsigned requests, the minute they came in.</summary>
    [JsonIgnore]
    public string Received => Samples is null
        ? Durations.Utc(ReceivedAt)
        : ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + ReceivedAt.UtcDateTime.AddMinutes(1).ToString("–HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>For a row of unsigned requests, what it counts: "1,234 × invalid signature from 1.2.3.4 in this minute".</summary>
    [JsonIgnore]
    public string? Tally => Samples is null
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{Requests:N0} × {Outcome.Wire().Replace('_', ' ')} from {Source ?? "an unknown source"} in this minute");

    /// <summary>For a row of unsigned requests: the delivery ids and user agents some of them came with.</summary>
    [JsonIgnore]
    public string? Examples => Samples is null || (Samples.DeliveryIds.Count == 0 && Samples.UserAgents.Count == 0)
        ? null
        : "e.g. " + string.Join(" · ", new[]
        {
            Samples.DeliveryIds.Count == 0 ? null : "delivery " + string.Join(", ", Samples.DeliveryIds),
            Samples.UserAgents.Count == 0 ? null : "user agent " + string.Join(", ", Samples.UserAgents),
        }.OfType<string>());

    /// <summary>For a job no rule routed: the explanation of its labels, which names the rule to change.</summary>
    [JsonIgnore]
    public string? ExplainUrl => Outcome == DeliveryOutcome.NoMatchingRule && OwnerId is { } owner && Repository is { } repository
        ? $"/routing/explain?owner={owner}&repo={Uri.EscapeDataString(repository)}&labels={Uri.EscapeDataString(string.Join(',', Labels ?? []))}"
        : null;
}
