using System.Text.Json.Serialization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>/deliveries?start&amp;end&amp;outcome&amp;owner&amp;repo&amp;label&amp;page&amp;per_page — parsed purely, a bad parameter named.</summary>
public sealed record DeliveriesQuery(DateTimeOffset Start, DateTimeOffset End, string? Outcome, string? Owner, string? Repo, string? Label, int Page, int PerPage)
{
    private static readonly string[] Known = ["start", "end", "outcome", "owner", "repo", "label", "page", "per_page", "token"];

    public static Either<string, DeliveriesQuery> Parse(IReadOnlyDictionary<string, string[]> query, DateTimeOffset now)
    {
        var unknown = query.Keys.FirstOrDefault(key => !Known.Contains(key, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return $"unknown parameter \"{unknown}\" (known: {string.Join(", ", Known[..^1])})";
        }

        string? Value(string name) => query.TryGetValue(name, out var values) && values.Length == 1 && values[0].Length is > 0 and <= 200 ? values[0] : null;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return
            from start in HistoryFilter.Day(Value("start"), "start", today, endOfDay: false, fallback: today.AddDays(-HistoryFilter.DefaultDays + 1))
            from end in HistoryFilter.Day(Value("end"), "end", today, endOfDay: true, fallback: today.AddDays(1))
            from ordered in start < end ? Right<string, Unit>(unit) : Left<string, Unit>("start must come before end")
            from page in HistoryFilter.Number(Value("page"), "page", 0, int.MaxValue, 0)
            from perPage in HistoryFilter.Number(Value("per_page"), "per_page", 1, HistoryFilter.MaxPerPage, HistoryFilter.DefaultPerPage)
            select new DeliveriesQuery(start, end, Value("outcome"), Value("owner"), Value("repo"), Value("label"), page, perPage);
    }
}

/// <summary>
/// One answered delivery: the row the delivery log writes and the line /deliveries shows.
/// Unverified ones carry nothing from their body.
/// </summary>
public sealed record DeliveryEntry(
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
}

/// <summary>Label sets nobody routes, by how often they were asked for: demand to see.</summary>
public sealed record IgnoredLabels(IReadOnlyList<string> Labels, int Deliveries);

/// <summary>The /deliveries page: recent deliveries and the ignored label sets over the window.</summary>
public sealed record DeliveriesView(
    string Environment,
    DateTimeOffset Start,
    DateTimeOffset End,
    [property: JsonIgnore] string StartDay,
    [property: JsonIgnore] string LastDay,
    DeliveriesQuery Query,
    IReadOnlyList<IgnoredLabels> Ignored,
    IReadOnlyList<DeliveryEntry> Deliveries,
    [property: JsonIgnore] string? NextPage)
{
    public static DeliveriesView Build(bool prod, DeliveriesQuery query, IReadOnlyList<IgnoredLabels> ignored, IReadOnlyList<DeliveryEntry> deliveries, string path)
    {
        var next = deliveries.Count == query.PerPage
            ? $"{path}?start={query.Start:yyyy-MM-dd}&end={query.End.AddDays(-1):yyyy-MM-dd}&page={query.Page + 1}&per_page={query.PerPage}"
                + string.Concat(new[] { ("outcome", query.Outcome), ("owner", query.Owner), ("repo", query.Repo), ("label", query.Label) }
                    .Where(p => p.Item2 is not null).Select(p => $"&{p.Item1}={Uri.EscapeDataString(p.Item2!)}"))
            : null;
        return new DeliveriesView(
            Layout.EnvironmentOf(prod), query.Start, query.End,
            query.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            query.End.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            query, ignored, deliveries, next);
    }
}
