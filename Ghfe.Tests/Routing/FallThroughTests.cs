using Ghfe.Routing;

namespace Ghfe.Tests.Routing;

/// <summary>A scoped rule decides unless it says <c>fall_through</c>: then a job none of its routes takes goes on to later rules.</summary>
public class FallThroughTests
{
    private static RoutingTable Table(bool fallsThrough) => new(
    [
        new RoutingRule("scoped", [new Scope(1, [])], [new LabelRoute(new LabelMatch.Includes(["a"]), "p1", "i")], fallsThrough),
        new RoutingRule("anyone", [], [new LabelRoute(new LabelMatch.Includes(["b"]), "p2", "i")]),
    ]);

    private static string? Pool(RoutingTable table, long owner, params string[] labels) =>
        Router.Resolve(table, owner, "o/r", labels).MatchUnsafe(Some: d => d.Pool, None: () => null);

    [Fact]
    public void Without_it_a_scoped_rule_that_applies_decides_even_without_a_match()
    {
        Assert.Null(Pool(Table(fallsThrough: false), 1, "b"));
        Assert.Equal("p1", Pool(Table(fallsThrough: false), 1, "a"));
    }

    [Fact]
    public void With_it_the_next_rules_are_tried_and_a_match_still_decides()
    {
        Assert.Equal("p2", Pool(Table(fallsThrough: true), 1, "b"));
        Assert.Equal("p1", Pool(Table(fallsThrough: true), 1, "a", "b"));
        Assert.Null(Pool(Table(fallsThrough: true), 1, "ccc"));
    }

    [Fact]
    public void The_explanation_says_the_rule_fell_through_and_which_rule_took_the_job()
    {
        var explanation = Explainer.Explain(Table(fallsThrough: true), 1, "o/r", ["b"]);

        Assert.Equal("p2", explanation.Destination!.Pool);
        Assert.Equal(
            ["applies, but no route matches: falls through to the next rule", "matches"],
            explanation.Rules.Select(rule => rule.Verdict));
    }

    [Fact]
    public void A_job_no_rule_takes_after_a_fall_through_names_the_rule_that_ignored_it()
    {
        var explanation = Explainer.Explain(Table(fallsThrough: true), 1, "o/r", ["ccc"]);

        Assert.Null(explanation.Destination);
        Assert.Equal(
            ["applies, but no route matches: falls through to the next rule", "applies, but no route matches: the job is ignored"],
            explanation.Rules.Select(rule => rule.Verdict));
        Assert.Equal("rule 2 (anyone) applies, but none of its routes takes [ccc]", Explainer.Reason(explanation));
    }

    [Fact]
    public void When_only_rules_that_fall_through_applied_the_reason_says_so()
    {
        var table = new RoutingTable([new RoutingRule("scoped", [new Scope(1, [])], [new LabelRoute(Router.Exactly(["ubuntu-24.04-riscv"]), "p1", "i")], FallsThrough: true)]);

        var explanation = Explainer.Explain(table, 1, "o/r", ["ubuntu-24.04-risc"]);

        Assert.Equal(
            "no rule takes [ubuntu-24.04-risc]: rule 1 (scoped) applied but fell through, and no later rule took it; near miss: \"ubuntu-24.04-risc\" is 1 edit away from \"ubuntu-24.04-riscv\": did you mean \"ubuntu-24.04-riscv\"?",
            Explainer.Reason(explanation));
    }

    [Fact]
    public void The_rule_text_says_it_falls_through()
    {
        Assert.Equal(
            ["1. scoped — applies to owner 1; falls through to the next rule when no route matches", "     a label among [a] → pool p1, image i", "2. anyone — applies to everyone", "     a label among [b] → pool p2, image i"],
            RuleText.Lines(Table(fallsThrough: true)));
    }
}
