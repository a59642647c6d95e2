using Ghfe.Redelivery;

namespace Ghfe.Tests.Redelivery;

/// <summary>The planner with plain values: attempts, a fixed now, options.</summary>
public class RedeliveryPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static long _id = 100;

    private static HookDelivery Attempt(string guid, TimeSpan ago, int status, bool redelivery = false, string @event = "workflow_job", string? action = "queued", long? repository = 7) =>
        new(Interlocked.Increment(ref _id), guid, Now - ago, redelivery, status, @event, action, repository);

    private static Plan Decide(RedeliveryOptions? options = null, params HookDelivery[] attempts) =>
        RedeliveryPlan.Decide(attempts, Now, options ?? RedeliveryOptions.Default);

    [Fact]
    public void A_failed_delivery_is_asked_for_once_by_its_newest_attempt()
    {
        var original = Attempt("a", TimeSpan.FromHours(3), 0);
        var retried = Attempt("a", TimeSpan.FromHours(2), 503, redelivery: true);

        var plan = Decide(null, retried, original);

        var ask = Assert.Single(plan.Asks);
        Assert.Equal(new Ask("a", retried.Id, "queued", 7, original.DeliveredAt), ask);
        Assert.Equal((1, 0, 0, 0), (plan.Examined, plan.Succeeded, plan.Waiting, plan.OverCap));
    }

    [Fact]
    public void A_delivery_that_succeeded_after_a_retry_is_left_alone()
    {
        var plan = Decide(null, Attempt("a", TimeSpan.FromHours(3), 0), Attempt("a", TimeSpan.FromHours(2), 200, redelivery: true));

        Assert.Empty(plan.Asks);
        Assert.Equal((1, 1), (plan.Examined, plan.Succeeded));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    [InlineData(400)]
    [InlineData(502)]
    public void Anything_but_2xx_is_a_failure(int status) =>
        Assert.Single(Decide(null, Attempt("a", TimeSpan.FromMinutes(5), status)).Asks);

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(299)]
    public void Any_2xx_is_a_success(int status) =>
        Assert.Empty(Decide(null, Attempt("a", TimeSpan.FromMinutes(5), status)).Asks);

    [Fact]
    public void Other_events_are_not_examined()
    {
        var plan = Decide(null, Attempt("p", TimeSpan.FromMinutes(5), 0, @event: "ping", action: null), Attempt("w", TimeSpan.FromMinutes(5), 0, @event: "workflow_run"));

        Assert.Equal((0, 0), (plan.Examined, plan.Asks.Count));
    }

    [Fact]
    public void A_delivery_first_sent_before_the_window_is_left_alone_even_when_redelivered_inside_it()
    {
        var plan = Decide(
            null,
            Attempt("old", TimeSpan.FromHours(25), 0),
            Attempt("old", TimeSpan.FromHours(1), 0, redelivery: true),
            Attempt("unseen-original", TimeSpan.FromHours(2), 0, redelivery: true));

        Assert.Equal((0, 0), (plan.Examined, plan.Asks.Count));
    }

    [Fact]
    public void Since_sets_the_window()
    {
        var attempt = Attempt("a", TimeSpan.FromHours(3), 0);

        Assert.Empty(Decide(RedeliveryOptions.Default with { Since = TimeSpan.FromHours(2) }, attempt).Asks);
        Assert.Single(Decide(RedeliveryOptions.Default with { Since = TimeSpan.FromHours(4) }, attempt).Asks);
    }

    [Fact]
    public void A_recent_redelivery_waits_for_retry_after_and_an_original_does_not()
    {
        var recent = Decide(null, Attempt("a", TimeSpan.FromHours(2), 0), Attempt("a", TimeSpan.FromMinutes(29), 0, redelivery: true));
        var due = Decide(null, Attempt("a", TimeSpan.FromHours(2), 0), Attempt("a", TimeSpan.FromMinutes(30), 0, redelivery: true));
        var fresh = Decide(null, Attempt("b", TimeSpan.FromMinutes(1), 0));
        var shorter = Decide(RedeliveryOptions.Default with { RetryAfter = TimeSpan.FromMinutes(5) }, Attempt("a", TimeSpan.FromHours(2), 0), Attempt("a", TimeSpan.FromMinutes(10), 0, redelivery: true));

        Assert.Equal((0, 1), (recent.Asks.Count, recent.Waiting));
        Assert.Equal((1, 0), (due.Asks.Count, due.Waiting));
        Assert.Single(fresh.Asks);
        Assert.Single(shorter.Asks);
    }

    [Fact]
    public void Max_caps_the_run_oldest_first_and_counts_the_rest()
    {
        var plan = Decide(
            RedeliveryOptions.Default with { Max = 2 },
            Attempt("newest", TimeSpan.FromHours(1), 0),
            Attempt("oldest", TimeSpan.FromHours(3), 0),
            Attempt("middle", TimeSpan.FromHours(2), 0));

        Assert.Equal(["oldest", "middle"], plan.Asks.Select(a => a.Guid));
        Assert.Equal(1, plan.OverCap);
    }

    [Fact]
    public void The_listing_stops_after_a_page_that_reaches_before_the_window()
    {
        Assert.False(RedeliveryPlan.PastWindow([Attempt("a", TimeSpan.FromHours(1), 0)], Now, RedeliveryOptions.Default));
        Assert.True(RedeliveryPlan.PastWindow([Attempt("a", TimeSpan.FromHours(1), 0), Attempt("b", TimeSpan.FromHours(25), 0)], Now, RedeliveryOptions.Default));
        Assert.True(RedeliveryPlan.PastWindow([], Now, RedeliveryOptions.Default));
    }

    [Fact]
    public void The_lines_say_guid_action_repository_and_the_counts()
    {
        var plan = Decide(RedeliveryOptions.Default with { Max = 1 }, Attempt("g1", TimeSpan.FromHours(1), 0), Attempt("g2", TimeSpan.FromHours(2), 0, action: null, repository: null));

        Assert.StartsWith("asked g2 workflow_job.? repository unknown (attempt ", RedeliveryText.Asked(plan.Asks[0], AskDetail.Unknown, dryRun: false), StringComparison.Ordinal);
        Assert.StartsWith("would ask g2 workflow_job.? job 501 someone/project (attempt ", RedeliveryText.Asked(plan.Asks[0], new AskDetail("someone/project", 501), dryRun: true), StringComparison.Ordinal);
        Assert.Equal(
            "org App 1: examined 2 workflow_job deliveries, 0 already succeeded, 0 waiting (redelivered recently), asked for 1, failed to ask 0, 1 left for the next run (--max)",
            RedeliveryText.Summary("org App 1", plan, asked: 1, failed: 0, dryRun: false));
    }
}
