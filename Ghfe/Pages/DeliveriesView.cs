using System.Globalization;
using System.Text.Json.Serialization;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Pages;

/// <summary>The /deliveries page: recent deliveries and the ignored label sets over the window.</summary>
public sealed record DeliveriesView(
    string Environment,
    DateTimeOffset Start,
    DateTimeOffset End,
    [property: JsonIgnore] string StartDay,
    [property: JsonIgnore] string LastDay,
    DeliveriesQuery Query,
    IReadOnlyList<IgnoredLabels> Ignored,
    IReadOnlyList<DeliveryLine> Deliveries,
    [property: JsonIgnore] string? NextPage)
{
    /// <summary>The outcome filter's choices: every outcome by its wire name, the one filtered on selected.</summary>
    [JsonIgnore]
    public IReadOnlyList<OutcomeChoice> Outcomes => [.. DeliveryOutcomes.All.Select(outcome => new OutcomeChoice(outcome.Wire(), outcome == Query.Outcome))];

    public static DeliveriesView Build(bool prod, DeliveriesQuery query, IReadOnlyList<IgnoredLabels> ignored, IReadOnlyList<DeliveryEntry> deliveries, string path, AppIds apps)
    {
        var next = deliveries.Count == query.PerPage
            ? $"{path}?start={query.Start:yyyy-MM-dd}&end={query.End.AddDays(-1):yyyy-MM-dd}&page={query.Page + 1}&per_page={query.PerPage}"
                + string.Concat(new[] { ("outcome", query.Outcome?.Wire()), ("owner", query.Owner), ("repo", query.Repo), ("label", query.Label) }
                    .Where(p => p.Item2 is not null).Select(p => $"&{p.Item1}={Uri.EscapeDataString(p.Item2!)}"))
            : null;
        return new DeliveriesView(
            Layout.EnvironmentOf(prod), query.Start, query.End,
            query.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            query.End.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            query, ignored, [.. deliveries.Select(entry => new DeliveryLine(entry, apps))], next);
    }
}
