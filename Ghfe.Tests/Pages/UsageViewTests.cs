using Ghfe.Pages;
using Ghfe.Store;

namespace Ghfe.Tests.Pages;

public class UsageViewTests
{
    private static UsageView Build(bool refresh = true) =>
        UsageView.Build(prod: false, SampleData.Now, SampleData.Jobs, SampleData.CountsOf(SampleData.Jobs), SampleData.Workers, refresh, "/usage");

    [Fact]
    public void Groups_by_entity_labels_and_pool_the_longest_waiting_job_first()
    {
        var groups = Build().Groups;

        Assert.Equal(
            [("ggml-org", "ubuntu-24.04-riscv", 1, 0, 1, 0, 0), ("pytorch", "linux.riscv64.xlarge", 1, 1, 0, 1, 1),
             ("pytorch", SampleData.HostileLabel, 1, 0, 0, 0, 1), ("someone", "ubuntu-24.04-riscv", 0, 0, 0, 1, -1)],
            groups.Select(g => (g.EntityName, string.Join(',', g.Labels), g.Counts.PendingJobs, g.Counts.RunningJobs,
                g.Counts.PendingWorkers, g.Counts.RunningWorkers, g.Counts.Deficit)));
    }

    [Fact]
    public void Sums_each_pool_across_entities()
    {
        var view = Build();

        Assert.Equal(
            [("cloudv10x-jupiter", 1, 1, 0), ("scw-em-rv1", 3, 2, 1)],
            view.Pools.Select(p => (p.Pool, p.Counts.Jobs, p.Counts.Workers, p.Counts.Deficit)));
        Assert.Equal((4, 3, 1), (view.Totals.Jobs, view.Totals.Workers, view.Totals.Deficit));
    }

    [Fact]
    public void Oldest_jobs_first_a_running_one_with_its_wait_and_its_run()
    {
        var pytorch = Build().Groups.Single(g => g.Labels.SequenceEqual(["linux.riscv64.xlarge"]));
        Assert.Equal(
            [(102L, "10m 00s", "2h 50m", 600L, (long?)10200L, 10800L), (101L, "42m 00s", "–", 2520L, null, 2520L)],
            pytorch.Jobs.Select(j => (j.JobId, j.Waited, j.Running, j.WaitedSeconds, j.RunningSeconds, j.AgeSeconds)));
    }

    [Fact]
    public void A_card_whose_oldest_pending_job_is_not_listed_still_sorts_by_it()
    {
        // The listing keeps the oldest jobs of all pools; the counts know every card's oldest pending one.
        var counts = SampleData.CountsOf(SampleData.Jobs)
            .Select(count => count.EntityName == "pytorch" && count.Status == "pending" && count.Labels.SequenceEqual([SampleData.HostileLabel])
                ? count with { OldestCreatedAt = SampleData.Now.AddDays(-5) }
                : count)
            .ToArray();

        var view = UsageView.Build(false, SampleData.Now, [], counts, SampleData.Workers, true, "/usage");

        Assert.Equal([SampleData.HostileLabel, "ubuntu-24.04-riscv", "linux.riscv64.xlarge", "ubuntu-24.04-riscv"], view.Groups.Select(g => g.Labels[0]));
        Assert.Equal(SampleData.Now.AddDays(-5), view.Groups[0].OldestPendingSince);
        Assert.Null(view.Groups[^1].OldestPendingSince);
    }

    [Fact]
    public void A_start_out_of_step_with_the_clock_is_taken_between_the_queueing_and_now()
    {
        static (long, long?) Times(DateTimeOffset started)
        {
            ActiveJob job = new(7, "running", 1, "e", ["l"], "p", "o/r", null, SampleData.Now.AddMinutes(-5), started);
            var line = Assert.Single(Assert.Single(UsageView.Build(false, SampleData.Now, [job], SampleData.CountsOf([job]), [], true, "/usage").Groups).Jobs);
            return (line.WaitedSeconds, line.RunningSeconds);
        }

        Assert.Equal((300L, (long?)0L), Times(SampleData.Now.AddMinutes(1)));
        Assert.Equal((0L, (long?)300L), Times(SampleData.Now.AddMinutes(-6)));
    }

    [Fact]
    public void A_worker_without_an_entity_name_takes_it_from_its_jobs()
    {
        Assert.Equal("ggml-org", Build().Groups.Single(g => g.Pool == "cloudv10x-jupiter").EntityName);
    }

    [Fact]
    public void Links_only_to_http_urls()
    {
        var hostile = Build().Groups.Single(g => g.Labels.Contains(SampleData.HostileLabel));
        Assert.Null(Assert.Single(hostile.Jobs).HtmlUrl);
    }

    [Fact]
    public void Says_which_environment_and_whether_it_refreshes()
    {
        var refreshing = Build(refresh: true);
        var still = Build(refresh: false);
        Assert.Equal(("Staging", 15, "/usage?refresh=0"), (refreshing.Environment, refreshing.RefreshSeconds, refreshing.RefreshToggleUrl));
        Assert.Equal((0, "/usage"), (still.RefreshSeconds, still.RefreshToggleUrl));
        Assert.Equal("Prod", UsageView.Build(true, SampleData.Now, [], [], [], true, "/usage").Environment);
    }

    [Fact]
    public void A_backlog_is_counted_whole_while_only_the_listed_jobs_get_lines()
    {
        var listed = SampleData.Jobs.Take(1).ToArray();
        var counts = SampleData.CountsOf(SampleData.Jobs).Select(count => count with { Jobs = count.Jobs * 1000 }).ToArray();

        var view = UsageView.Build(false, SampleData.Now, listed, counts, SampleData.Workers, true, "/usage");

        Assert.Equal((4000, 1), (view.Totals.Jobs, view.ListedJobs));
        Assert.Equal(1, view.Groups.Sum(group => group.Jobs.Count));
        Assert.Equal([1000, 2000, 1000, 0], view.Groups.Select(group => group.Counts.Jobs));
        var html = PageRenderer.Load(PageRenderer.ShippedDirectory).Render("usage", view, PageLayouts.Usage(view, null));
        Assert.Contains("4000 active jobs (the oldest 1 listed)", html, StringComparison.Ordinal);
        Assert.Contains("1999 newer jobs not listed", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_active_gives_no_groups()
    {
        var view = UsageView.Build(false, SampleData.Now, [], [], [], true, "/usage");
        Assert.Empty(view.Groups);
        Assert.Empty(view.Pools);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(61, "1m 01s")]
    [InlineData(3600, "1h 00m")]
    [InlineData(90061, "1d 01h")]
    [InlineData(-5, "0s")]
    public void Durations_read_as_two_units(int seconds, string text)
    {
        Assert.Equal(text, Durations.Short(TimeSpan.FromSeconds(seconds)));
    }
}
