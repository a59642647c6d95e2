using Ghfe.History;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>/history?start&amp;end&amp;entity&amp;pool&amp;status&amp;repo&amp;page&amp;per_page — parsed purely, a bad parameter named.</summary>
public static class HistoryQuery
{
    public static Either<string, HistoryFilter> Parse(IReadOnlyDictionary<string, string[]> query, DateTimeOffset now) =>
        from read in QueryReader.Read(query, "start", "end", "page", "per_page", "entity", "pool", "status", "repo")
        from window in read.Window(now, HistoryFilter.DefaultDays)
        from page in read.Number("page", 0, int.MaxValue, 0)
        from perPage in read.Number("per_page", 1, HistoryFilter.MaxPerPage, HistoryFilter.DefaultPerPage)
        from status in read.Text("status") is not { } given || HistoryFilter.Statuses.Contains(given, StringComparer.Ordinal)
            ? Right<string, Unit>(unit)
            : Left<string, Unit>($"status must be one of {string.Join(", ", HistoryFilter.Statuses)} (got \"{given}\")")
        select new HistoryFilter(window.Start, window.End, page, perPage, read.Text("entity"), read.Text("pool"), read.Text("status"), read.Text("repo"));
}
