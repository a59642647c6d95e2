using Ghfe.History;
using Ghfe.Store;
using Ghfe.Webhook;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>/deliveries?start&amp;end&amp;outcome&amp;owner&amp;repo&amp;label&amp;page&amp;per_page — parsed purely, a bad parameter named.</summary>
public sealed record DeliveriesQuery(DateTimeOffset Start, DateTimeOffset End, DeliveryOutcome? Outcome, string? Owner, string? Repo, string? Label, int Page, int PerPage)
{
    public static Either<string, DeliveriesQuery> Parse(IReadOnlyDictionary<string, string[]> query, DateTimeOffset now) =>
        from read in QueryReader.Read(query, "start", "end", "outcome", "owner", "repo", "label", "page", "per_page")
        from window in read.Window(now, HistoryFilter.DefaultDays)
        from page in read.Number("page", 0, int.MaxValue, 0)
        from perPage in read.Number("per_page", 1, HistoryFilter.MaxPerPage, HistoryFilter.DefaultPerPage)
        from outcome in OutcomeNamed(read.Text("outcome"))
        select new DeliveriesQuery(window.Start, window.End, outcome.ToNullable(), read.Text("owner"), read.Text("repo"), read.Text("label"), page, perPage);

    /// <summary>None when not asked for; an outcome no delivery can have is named.</summary>
    private static Either<string, Option<DeliveryOutcome>> OutcomeNamed(string? value) =>
        value is null ? Right<string, Option<DeliveryOutcome>>(None)
        : DeliveryOutcomes.Parse(value) is { } outcome ? Right<string, Option<DeliveryOutcome>>(Some(outcome))
        : Left<string, Option<DeliveryOutcome>>($"unknown outcome \"{value}\" (known: {string.Join(", ", DeliveryOutcomes.All.Select(DeliveryOutcomes.Wire))})");

    /// <summary>The rows this query asks the store for.</summary>
    public DeliveriesFilter ToFilter() => new(Start, End, Outcome, Owner, Repo, Label, PerPage, (long)Page * PerPage);
}
