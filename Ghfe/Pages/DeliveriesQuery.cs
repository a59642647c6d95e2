using Ghfe.History;
using Ghfe.Store;
using Ghfe.Webhook;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>/deliveries?start&amp;end&amp;outcome&amp;owner&amp;repo&amp;label&amp;page&amp;per_page — parsed purely, a bad parameter named.</summary>
public sealed record DeliveriesQuery(DateTimeOffset Start, DateTimeOffset End, DeliveryOutcome? Outcome, string? Owner, string? Repo, string? Label, int Page, int PerPage)
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
            from outcome in OutcomeNamed(Value("outcome"))
            select new DeliveriesQuery(start, end, outcome.ToNullable(), Value("owner"), Value("repo"), Value("label"), page, perPage);
    }

    /// <summary>None when not asked for; an outcome no delivery can have is named.</summary>
    private static Either<string, Option<DeliveryOutcome>> OutcomeNamed(string? value) =>
        value is null ? Right<string, Option<DeliveryOutcome>>(None)
        : DeliveryOutcomes.Parse(value) is { } outcome ? Right<string, Option<DeliveryOutcome>>(Some(outcome))
        : Left<string, Option<DeliveryOutcome>>($"unknown outcome \"{value}\" (known: {string.Join(", ", DeliveryOutcomes.All.Select(DeliveryOutcomes.Wire))})");

    /// <summary>The rows this query asks the store for.</summary>
    public DeliveriesFilter ToFilter() => new(Start, End, Outcome, Owner, Repo, Label, PerPage, (long)Page * PerPage);
}
