using Ghfe.Pages;

namespace Ghfe.Tests.Pages;

public class HistoryViewTests
{
    private static HistoryView Build(int page = 0) =>
        HistoryView.Build(false, SampleData.Now, SampleData.Filter with { Page = page }, SampleData.History, "/history", null);

    [Fact]
    public void Totals_groups_and_formats_percentiles()
    {
        var view = Build();
        Assert.Equal(7, view.TotalJobs);
        Assert.Equal([("pytorch", 6, "12s / 5m 01s", "30m 00s / 1h 30m"), ("ggml-org", 1, "– / –", "– / –")],
            view.Groups.Select(g => (g.EntityName, g.Total, g.QueueWait, g.RunTime)));
    }

    [Fact]
    public void Pages_with_first_prev_next_last()
    {
        var first = Build(0).Paging;
        var middle = Build(1).Paging;

        Assert.Equal((4, null), (first.Pages, first.Prev));
        Assert.Equal("/history?start=2026-11-26&end=2026-11-28&per_page=2&page=1", first.Next);
        Assert.Equal("/history?start=2026-11-26&end=2026-11-28&per_page=2&page=3", first.Last);
        Assert.Equal("/history?start=2026-11-26&end=2026-11-28&per_page=2&page=0", middle.Prev);
        Assert.Equal(
            "</history?start=2026-11-26&end=2026-11-28&per_page=2&page=0>; rel=\"first\", </history?start=2026-11-26&end=2026-11-28&per_page=2&page=0>; rel=\"prev\", "
            + "</history?start=2026-11-26&end=2026-11-28&per_page=2&page=2>; rel=\"next\", </history?start=2026-11-26&end=2026-11-28&per_page=2&page=3>; rel=\"last\"",
            Build(1).LinkHeader());
    }

    [Fact]
    public void The_chart_stacks_pools_per_day_scaled_to_the_busiest_day()
    {
        var chart = Build().Chart;

        Assert.Equal(4, chart.MaxJobs);
        Assert.Equal(["Nov 26", "Nov 27", "Nov 28"], chart.Labels);
        Assert.Equal([("cloudv10x-jupiter", 1), ("scw-em-rv1", 6)], chart.Legend.Select(l => (l.Pool, l.Jobs)));
        var busiest = chart.Bars.Where(b => b.Title.StartsWith("2026-11-27", StringComparison.Ordinal)).ToArray();
        Assert.Equal(chart.Height, busiest.Sum(b => b.Height), 1);
        Assert.All(chart.Bars, bar => Assert.InRange(bar.Y, 0, chart.Height));
    }

    [Fact]
    public void A_long_window_charts_its_last_92_days()
    {
        var filter = SampleData.Filter with { Start = SampleData.Filter.End.AddDays(-365) };
        var chart = HistoryView.Build(false, SampleData.Now, filter, SampleData.History, "/history", null).Chart;
        Assert.Equal("Jobs per day and pool, the last 92 of 365 days", chart.Caption);
    }
}
