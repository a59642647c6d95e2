using System.Globalization;
using System.Text.Json.Serialization;
using Ghfe.History;
using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>The /history page: one window of jobs by entity and pool, a chart, and the jobs, paged.</summary>
public sealed record HistoryView(
    string Environment,
    DateTimeOffset GeneratedAt,
    DateTimeOffset Start,
    DateTimeOffset End,
    [property: JsonIgnore] string StartDay,
    [property: JsonIgnore] string LastDay,
    [property: JsonIgnore] string GeneratedAtText,
    HistoryFilter Filter,
    int TotalJobs,
    IReadOnlyList<HistoryGroup> Groups,
    [property: JsonIgnore] Chart Chart,
    IReadOnlyList<DailyCount> Daily,
    IReadOnlyList<HistoryLine> Jobs,
    Paging Paging,
    [property: JsonIgnore] string FormAction,
    [property: JsonIgnore] string? Token,
    [property: JsonIgnore] IReadOnlyList<string> Statuses)
{
    /// <param name="path">The path asked for (/history or /history.json): paging links keep to it.</param>
    public static HistoryView Build(bool prod, DateTimeOffset now, HistoryFilter filter, HistoryData data, string path, string? token)
    {
        var groups = data.Groups.Select(g => new HistoryGroup(
            g.EntityId, g.EntityName, g.Pool, g.Pending + g.Running + g.Completed + g.Failed,
            g.Pending, g.Running, g.Completed, g.Failed,
            g.QueueWaitP50, g.QueueWaitP95, g.RunTimeP50, g.RunTimeP95,
            $"{Durations.Short(g.QueueWaitP50)} / {Durations.Short(g.QueueWaitP95)}",
            $"{Durations.Short(g.RunTimeP50)} / {Durations.Short(g.RunTimeP95)}")).ToArray();
        var total = groups.Sum(g => g.Total);

        var jobs = data.Jobs.Select(job => new HistoryLine(job)).ToArray();

        var pages = Math.Max(1, (total + filter.PerPage - 1) / filter.PerPage);
        string Link(int page) => $"{path}?{filter.QueryFor(page, token)}";
        var paging = new Paging(
            filter.Page, filter.PerPage, total, pages,
            Link(0),
            filter.Page > 0 ? Link(Math.Min(filter.Page - 1, pages - 1)) : null,
            filter.Page + 1 < pages ? Link(filter.Page + 1) : null,
            Link(pages - 1));

        return new HistoryView(
            Layout.EnvironmentOf(prod),
            now,
            filter.Start,
            filter.End,
            filter.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            filter.End.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Durations.Utc(now),
            filter,
            total,
            groups,
            Chart.Of(filter, data.Daily),
            data.Daily,
            jobs,
            paging,
            path,
            token,
            ["pending", "running", "completed", "failed"]);
    }

    /// <summary>GitHub-style Link header (first, prev, next, last), relative to the path asked for.</summary>
    public string LinkHeader() =>
        string.Join(", ", new[] { ("first", Paging.First), ("prev", Paging.Prev), ("next", Paging.Next), ("last", Paging.Last) }
            .Where(link => link.Item2 is not null)
            .Select(link => $"<{link.Item2}>; rel=\"{link.Item1}\""));
}
