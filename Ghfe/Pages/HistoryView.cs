using System.Globalization;
using System.Text.Json.Serialization;

namespace Ghfe.Pages;

/// <summary>Jobs of one (entity, pool) in the window, by status, with queue wait and run time percentiles (seconds).</summary>
public sealed record HistoryGroupStats(
    long EntityId,
    string EntityName,
    string Pool,
    int Pending,
    int Running,
    int Completed,
    int Failed,
    double? QueueWaitP50,
    double? QueueWaitP95,
    double? RunTimeP50,
    double? RunTimeP95);

public sealed record DailyCount(DateOnly Day, string Pool, int Jobs);

public sealed record HistoryJob(
    long JobId,
    string Status,
    string EntityName,
    string Repository,
    IReadOnlyList<string> Labels,
    string Pool,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);

/// <summary>What the store reads for one /history request.</summary>
public sealed record HistoryData(IReadOnlyList<HistoryGroupStats> Groups, IReadOnlyList<DailyCount> Daily, IReadOnlyList<HistoryJob> Jobs);

public sealed record HistoryGroup(
    long EntityId,
    string EntityName,
    string Pool,
    int Total,
    int Pending,
    int Running,
    int Completed,
    int Failed,
    double? QueueWaitP50Seconds,
    double? QueueWaitP95Seconds,
    double? RunTimeP50Seconds,
    double? RunTimeP95Seconds,
    [property: JsonIgnore] string QueueWait,
    [property: JsonIgnore] string RunTime);

public sealed record HistoryLine(
    long JobId,
    string Status,
    string EntityName,
    string Repository,
    IReadOnlyList<string> Labels,
    string Pool,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    [property: JsonIgnore] string Created,
    [property: JsonIgnore] string QueueWait,
    [property: JsonIgnore] string RunTime);

/// <summary>One bar segment of the jobs-per-day chart, in SVG user units.</summary>
public sealed record ChartBar(double X, double Y, double Width, double Height, string Color, string Title);

public sealed record ChartLegend(string Pool, string Color, int Jobs);

public sealed record Chart(
    int Width,
    int Height,
    int MaxJobs,
    IReadOnlyList<ChartBar> Bars,
    IReadOnlyList<ChartLegend> Legend,
    IReadOnlyList<string> Labels,
    string Caption);

public sealed record Paging(int Page, int PerPage, int Total, int Pages, string? First, string? Prev, string? Next, string? Last);

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
    public const int ChartMaxDays = 92;

    private const int ChartWidth = 720;
    private const int ChartHeight = 160;

    private static readonly string[] Palette = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"];

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

        var jobs = data.Jobs.Select(job => new HistoryLine(
            job.JobId, job.Status, job.EntityName, job.Repository, job.Labels, job.Pool, Links.SafeHttp(job.HtmlUrl),
            job.CreatedAt, job.StartedAt, job.CompletedAt,
            Durations.Utc(job.CreatedAt),
            job.StartedAt is { } started ? Durations.Short(started - job.CreatedAt) : "–",
            job.StartedAt is { } from && job.CompletedAt is { } to ? Durations.Short(to - from) : "–")).ToArray();

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
            BuildChart(filter, data.Daily),
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

    /// <summary>Stacked bars, one per day, one colour per pool; the last <see cref="ChartMaxDays"/> days of a longer window.</summary>
    private static Chart BuildChart(HistoryFilter filter, IReadOnlyList<DailyCount> daily)
    {
        var days = filter.Days().ToArray();
        var shown = days.Length > ChartMaxDays ? days[^ChartMaxDays..] : days;
        var pools = daily.Select(d => d.Pool).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var color = pools.Select((pool, i) => (pool, Palette[i % Palette.Length])).ToDictionary(p => p.pool, p => p.Item2, StringComparer.Ordinal);
        var byDay = daily.ToLookup(d => d.Day);
        var max = Math.Max(1, shown.Select(day => byDay[day].Sum(d => d.Jobs)).DefaultIfEmpty(0).Max());

        var slot = (double)ChartWidth / Math.Max(1, shown.Length);
        var barWidth = Math.Max(1, Math.Round(slot * 0.8, 2));
        var bars = new List<ChartBar>();
        for (var i = 0; i < shown.Length; i++)
        {
            var y = (double)ChartHeight;
            foreach (var count in byDay[shown[i]].OrderBy(d => d.Pool, StringComparer.Ordinal))
            {
                var height = Math.Round(count.Jobs * (double)ChartHeight / max, 2);
                y = Math.Round(y - height, 2);
                bars.Add(new ChartBar(Math.Round(i * slot, 2), y, barWidth, height, color[count.Pool],
                    $"{shown[i]:yyyy-MM-dd} · {count.Pool}: {count.Jobs} job{(count.Jobs == 1 ? string.Empty : "s")}"));
            }
        }

        // First, middle and last day, spread under the bars by the page's CSS.
        var labels = shown.Length == 0 ? [] : new[] { 0, shown.Length / 2, shown.Length - 1 }.Distinct()
            .Select(i => shown[i].ToString("MMM d", CultureInfo.InvariantCulture)).ToArray();
        var legend = pools.Select(pool => new ChartLegend(pool, color[pool], daily.Where(d => d.Pool == pool && shown.Contains(d.Day)).Sum(d => d.Jobs))).ToArray();
        var caption = days.Length > shown.Length
            ? $"Jobs per day and pool, the last {shown.Length} of {days.Length} days"
            : $"Jobs per day and pool, {days.Length} day{(days.Length == 1 ? string.Empty : "s")}";
        return new Chart(ChartWidth, ChartHeight, max, bars, legend, labels, caption);
    }
}
