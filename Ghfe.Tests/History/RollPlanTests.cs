using Ghfe.History;

namespace Ghfe.Tests.History;

public class RollPlanTests
{
    private static readonly DateOnly Horizon = new(2026, 11, 27);

    [Fact]
    public void Rolls_up_to_the_day_before_yesterday()
    {
        Assert.Equal(Horizon, RollPlan.Horizon(new DateTimeOffset(2026, 11, 28, 23, 59, 0, TimeSpan.Zero)));
        Assert.Equal(Horizon, RollPlan.Horizon(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Nothing_rolled_yet_goes_back_from_the_horizon_to_the_oldest_day_a_month_at_a_time()
    {
        var spans = RollPlan.Extend(null, Horizon.AddDays(-70), Horizon).ToList();

        Assert.Equal(
            [(Horizon.AddDays(-31), Horizon), (Horizon.AddDays(-62), Horizon.AddDays(-31)), (Horizon.AddDays(-70), Horizon.AddDays(-62))],
            spans);
    }

    [Fact]
    public void Rolled_days_grow_at_both_ends_and_never_leave_a_gap()
    {
        var spans = RollPlan.Extend((Horizon.AddDays(-10), Horizon.AddDays(-2)), Horizon.AddDays(-12), Horizon).ToList();

        Assert.Equal([(Horizon.AddDays(-2), Horizon), (Horizon.AddDays(-12), Horizon.AddDays(-10))], spans);
    }

    [Fact]
    public void Nothing_to_do_when_everything_is_rolled_or_there_are_no_jobs()
    {
        Assert.Empty(RollPlan.Extend((Horizon.AddDays(-10), Horizon), Horizon.AddDays(-10), Horizon));
        Assert.Empty(RollPlan.Extend(null, null, Horizon));
        Assert.Empty(RollPlan.Extend(null, Horizon, Horizon));   // only recent jobs: read from jobs
    }

    [Fact]
    public void Rechecks_the_recent_rolled_days_or_all_of_them()
    {
        var rolled = (Horizon.AddDays(-100), Horizon);

        Assert.Equal((Horizon.AddDays(-35), Horizon), RollPlan.Recheck(rolled, Horizon, full: false));
        Assert.Equal(rolled, RollPlan.Recheck(rolled, Horizon, full: true));
        Assert.Equal((Horizon.AddDays(-3), Horizon), RollPlan.Recheck((Horizon.AddDays(-3), Horizon), Horizon, full: false));
        Assert.Null(RollPlan.Recheck(null, Horizon, full: true));
    }
}
