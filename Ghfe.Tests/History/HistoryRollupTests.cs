using Ghfe.History;

namespace Ghfe.Tests.History;

/// <summary>The pure half of /history's rollups: histogram buckets, sums, and which days come from where.</summary>
public class HistoryRollupTests
{
    private static readonly DateOnly Day1 = new(2026, 11, 20);

    private static HistoryFilter Window(DateOnly from, DateOnly to, string? repo = null, int page = 0, int perPage = 100) =>
        new(HistoryPlan.Midnight(from), HistoryPlan.Midnight(to), page, perPage, null, null, null, repo);

    private static DurationHistogram Of(params double[] seconds)
    {
        var buckets = seconds.GroupBy(DurationHistogram.BucketOf).OrderBy(b => b.Key).ToArray();
        return new DurationHistogram([.. buckets.Select(b => b.Key)], [.. buckets.Select(b => b.Count())]);
    }

    private static DayRollup Rollup(DateOnly day, long entity, string pool, string status, int jobs, DurationHistogram? queue = null, DurationHistogram? run = null) =>
        new(day, entity, $"entity-{entity}", pool, status, jobs, queue ?? DurationHistogram.Empty, run ?? DurationHistogram.Empty);

    [Theory]
    [InlineData(0)]
    [InlineData(0.4)]
    [InlineData(5)]
    [InlineData(42)]
    [InlineData(599)]
    [InlineData(3600)]
    [InlineData(86400 * 3)]
    public void A_bucket_stands_for_its_durations_within_five_percent_or_a_tenth_of_a_second(double seconds)
    {
        var value = DurationHistogram.ValueOf(DurationHistogram.BucketOf(seconds));
        Assert.InRange(value, Math.Min(seconds * 0.955, seconds - 0.1), Math.Max(seconds * 1.045, seconds + 0.1));
    }

    [Fact]
    public void Negative_durations_count_as_zero()
    {
        Assert.Equal(0, DurationHistogram.BucketOf(-30));
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_summed_histograms()
    {
        var sum = new DurationHistogram.Sum();
        sum.Add(Of(10, 10, 10, 10, 10));
        sum.Add(Of(100, 100, 100, 100));
        sum.Add(Of(1000));

        Assert.Equal(10, sum.Total);
        Assert.InRange(sum.Percentile(0.5)!.Value, 9.5, 10.5);      // rank 5 of 10: the last 10 s
        Assert.InRange(sum.Percentile(0.6)!.Value, 95, 105);        // rank 6: the first 100 s
        Assert.InRange(sum.Percentile(0.95)!.Value, 955, 1045);     // rank 10: the 1000 s
        Assert.Null(new DurationHistogram.Sum().Percentile(0.5));
    }

    [Fact]
    public void A_histogram_beyond_the_usual_range_still_sums()
    {
        var sum = new DurationHistogram.Sum();
        sum.Add(Of(1e12));
        Assert.InRange(sum.Percentile(0.5)!.Value, 0.95e12, 1.05e12);
    }

    [Fact]
    public void Summary_groups_by_entity_and_pool_biggest_first_and_counts_days_per_pool()
    {
        var (groups, daily) = HistorySummary.Of(
        [
            Rollup(Day1, 1, "a", "completed", 3, queue: Of(5, 5, 50), run: Of(600, 600, 600)),
            Rollup(Day1.AddDays(1), 1, "a", "completed", 2, queue: Of(5, 5), run: Of(60, 60)),
            Rollup(Day1, 1, "a", "failed", 1, queue: Of(500)),
            Rollup(Day1, 2, "a", "pending", 4),
            Rollup(Day1.AddDays(1), 1, "b", "running", 1, queue: Of(1)),
        ]);

        Assert.Equal(
            ["entity-1/a: 0 pending 0 running 5 completed 1 failed", "entity-2/a: 4 pending 0 running 0 completed 0 failed", "entity-1/b: 0 pending 1 running 0 completed 0 failed"],
            groups.Select(g => $"{g.EntityName}/{g.Pool}: {g.Pending} pending {g.Running} running {g.Completed} completed {g.Failed} failed"));
        var first = groups[0];
        Assert.InRange(first.QueueWaitP50!.Value, 4.5, 5.5);    // 5 5 5 5 50 500: rank 3
        Assert.InRange(first.QueueWaitP95!.Value, 475, 525);     // rank 6
        Assert.InRange(first.RunTimeP50!.Value, 570, 630);       // 60 60 600 600 600: rank 3
        Assert.Null(groups[1].QueueWaitP50);
        Assert.Equal(
            [new DailyCount(Day1, "a", 8), new DailyCount(Day1.AddDays(1), "a", 2), new DailyCount(Day1.AddDays(1), "b", 1)],
            daily);
    }

    [Fact]
    public void Plan_reads_rolled_days_from_rollups_and_the_rest_from_jobs()
    {
        var plan = HistoryPlan.For(Window(Day1.AddDays(-10), Day1.AddDays(3)), (Day1.AddDays(-30), Day1));

        Assert.Equal((Day1.AddDays(-10), Day1), plan.Rolled);
        Assert.Equal([(HistoryPlan.Midnight(Day1), HistoryPlan.Midnight(Day1.AddDays(3)))], plan.Raw);
    }

    [Fact]
    public void Plan_reads_jobs_on_both_sides_of_the_rolled_days()
    {
        var plan = HistoryPlan.For(Window(Day1.AddDays(-10), Day1.AddDays(3)), (Day1.AddDays(-5), Day1));

        Assert.Equal((Day1.AddDays(-5), Day1), plan.Rolled);
        Assert.Equal(
            [(HistoryPlan.Midnight(Day1.AddDays(-10)), HistoryPlan.Midnight(Day1.AddDays(-5))), (HistoryPlan.Midnight(Day1), HistoryPlan.Midnight(Day1.AddDays(3)))],
            plan.Raw);
    }

    [Fact]
    public void Plan_reads_only_jobs_without_rollups_outside_them_or_for_a_repository()
    {
        var window = Window(Day1, Day1.AddDays(2));
        Assert.Equal(new HistoryPlan(null, [(window.Start, window.End)]).Raw, HistoryPlan.For(window, null).Raw);
        Assert.Null(HistoryPlan.For(window, null).Rolled);
        Assert.Null(HistoryPlan.For(window, (Day1.AddDays(-9), Day1)).Rolled);
        Assert.Null(HistoryPlan.For(Window(Day1.AddDays(-5), Day1, repo: "a/b"), (Day1.AddDays(-9), Day1)).Rolled);
        Assert.Equal(HistoryPlan.For(Window(Day1.AddDays(-5), Day1, repo: "a/b"), (Day1.AddDays(-9), Day1)).Raw, [(HistoryPlan.Midnight(Day1.AddDays(-5)), HistoryPlan.Midnight(Day1))]);
    }

    [Fact]
    public void Page_span_covers_the_days_that_hold_the_page()
    {
        // Newest first: day+2 has 3 jobs, day+1 none, day 4, day-1 5.
        DailyCount[] daily = [new(Day1.AddDays(2), "a", 2), new(Day1.AddDays(2), "b", 1), new(Day1, "a", 4), new(Day1.AddDays(-1), "a", 5)];
        var window = Window(Day1.AddDays(-3), Day1.AddDays(3));

        Assert.Equal((HistoryPlan.Midnight(Day1.AddDays(2)), HistoryPlan.Midnight(Day1.AddDays(3)), 0L), HistoryPlan.PageSpan(window with { PerPage = 2 }, daily));
        Assert.Equal((HistoryPlan.Midnight(Day1), HistoryPlan.Midnight(Day1.AddDays(3)), 2L), HistoryPlan.PageSpan(window with { PerPage = 2, Page = 1 }, daily));
        Assert.Equal((HistoryPlan.Midnight(Day1), HistoryPlan.Midnight(Day1.AddDays(1)), 1L), HistoryPlan.PageSpan(window with { PerPage = 2, Page = 2 }, daily));
        // The last page runs to the window's start; past it there is nothing to read.
        Assert.Equal((window.Start, HistoryPlan.Midnight(Day1), 3L), HistoryPlan.PageSpan(window with { PerPage = 5, Page = 2 }, daily));
        Assert.Null(HistoryPlan.PageSpan(window with { PerPage = 4, Page = 3 }, daily));
        Assert.Null(HistoryPlan.PageSpan(window, []));
    }
}
