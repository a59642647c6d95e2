using System.Globalization;
using Ghfe.History;

namespace Ghfe.Pages;

/// <summary>/history's jobs-per-day chart: stacked bars in SVG user units, a legend and day labels.</summary>
public sealed record Chart(
    int Width,
    int Height,
    int MaxJobs,
    IReadOnlyList<ChartBar> Bars,
    IReadOnlyList<ChartLegend> Legend,
    IReadOnlyList<string> Labels,
    string Caption)
{
    public const int MaxDays = 92;

    private const int ChartWidth = 720;
    private const int ChartHeight = 160;

    private static readonly string[] Palette = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"];

    /// <summary>Stacked bars, one per day, one colour per pool; the last <see cref="MaxDays"/> days of a longer window.</summary>
    public static Chart Of(HistoryFilter filter, IReadOnlyList<DailyCount> daily)
    {
        var days = filter.Days().ToArray();
        var shown = days.Length > MaxDays ? days[^MaxDays..] : days;
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
