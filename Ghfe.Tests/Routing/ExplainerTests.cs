using Ghfe.Routing;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Routing;

public class ExplainerTests
{
    private static Explanation Explain(long owner, string repository, params string[] labels) =>
        Explainer.Explain(ShippedRouting.Staging.Routing, owner, repository, labels);

    [Theory]
    [InlineData(21003710, "pytorch/pytorch", "linux.riscv64.xlarge", "pytorch", "scw-em-rv1")]
    [InlineData(152654596, "riseproject-dev/llama.cpp", "ubuntu-24.04-riscv", "ggml", "cloudv10x-jupiter")]
    [InlineData(42, "someone/project", "ubuntu-24.04-riscv", "default", "scw-em-rv1")]
    public void Names_the_rule_that_routes_and_says_why_earlier_ones_did_not(long owner, string repository, string label, string rule, string pool)
    {
        var explanation = Explain(owner, repository, label);

        Assert.Equal((rule, pool), (explanation.Destination!.Rule, explanation.Destination.Pool));
        var deciding = explanation.Rules.Single(r => r.Verdict == "matches");
        Assert.Equal(rule, deciding.Rule);
        Assert.All(explanation.Rules.TakeWhile(r => r != deciding), r => Assert.Equal("does not apply", r.Verdict));
        Assert.All(explanation.Rules.SkipWhile(r => r != deciding).Skip(1), r => Assert.Equal("not reached", r.Verdict));
    }

    [Fact]
    public void A_miss_names_the_rule_that_would_have_to_change()
    {
        var explanation = Explain(42, "someone/project", "ubuntu-26.04-riscv");

        Assert.Null(explanation.Destination);
        Assert.Equal(
            [("pytorch", "does not apply"), ("ggml", "does not apply"), ("default", "applies, but no route matches: the job is ignored")],
            explanation.Rules.Select(r => (r.Rule, r.Verdict)));
        Assert.Equal(
            ["needs labels exactly [ubuntu-24.04-riscv]", "near miss: \"ubuntu-26.04-riscv\" is 1 edit away from \"ubuntu-24.04-riscv\": did you mean \"ubuntu-24.04-riscv\"?"],
            explanation.Rules[2].Reasons);
        Assert.Equal(["applies to owner 21003710; owner 152654596 repositories riseproject-dev/pytorch, riseproject-dev/executorch, not owner 42 / someone/project"], explanation.Rules[0].Reasons);
    }

    [Fact]
    public void A_scoped_rule_that_applies_stops_the_search_even_without_a_match()
    {
        var explanation = Explain(134263123, "ggml-org/llama.cpp", "ubuntu-24.04-riscv", "gpu");

        Assert.Null(explanation.Destination);
        Assert.Equal(["does not apply", "applies, but no route matches: the job is ignored", "not reached"], explanation.Rules.Select(r => r.Verdict));
    }

    [Fact]
    public void A_label_that_differs_only_in_case_matches_and_says_so()
    {
        var explanation = Explain(42, "someone/project", "Ubuntu-24.04-RISCV");

        Assert.Equal("default", explanation.Destination!.Rule);
        Assert.Contains("\"Ubuntu-24.04-RISCV\" matches \"ubuntu-24.04-riscv\" ignoring case (GitHub ignores case too)", explanation.Rules[2].Reasons);
    }

    [Theory]
    [InlineData("ubuntu-24.04-risv", "\"ubuntu-24.04-risv\" is 1 edit away from \"ubuntu-24.04-riscv\": did you mean \"ubuntu-24.04-riscv\"?")]
    [InlineData("ubuntu-22.04-riscv", "\"ubuntu-22.04-riscv\" is 1 edit away from \"ubuntu-24.04-riscv\": did you mean \"ubuntu-24.04-riscv\"?")]
    [InlineData("Ubuntu-24.4-RISC", "\"Ubuntu-24.4-RISC\" is 2 edits away from \"ubuntu-24.04-riscv\": did you mean \"ubuntu-24.04-riscv\"?")]
    public void A_label_one_or_two_edits_away_names_the_label_that_would_match(string label, string hint)
    {
        var explanation = Explain(42, "someone/project", label);

        Assert.Null(explanation.Destination);
        Assert.Equal(["needs labels exactly [ubuntu-24.04-riscv]", "near miss: " + hint], explanation.Rules[2].Reasons);
    }

    [Fact]
    public void An_extra_label_where_the_rule_needs_an_exact_set_is_named()
    {
        var explanation = Explain(134263123, "ggml-org/llama.cpp", "self-hosted", "ubuntu-24.04-riscv");

        Assert.Null(explanation.Destination);
        Assert.Equal(
            ["needs labels exactly [ubuntu-24.04-riscv]", "near miss: the job asks for \"self-hosted\" as well: this route needs exactly [ubuntu-24.04-riscv], nothing more"],
            explanation.Rules[1].Reasons);
    }

    [Fact]
    public void A_label_far_from_every_route_gives_no_hint()
    {
        var explanation = Explain(42, "someone/project", "windows-latest");

        Assert.Equal(["needs labels exactly [ubuntu-24.04-riscv]"], explanation.Rules[2].Reasons);
    }

    [Fact]
    public void Agrees_with_the_router_on_every_case_the_router_tests_know()
    {
        foreach (var row in RouterTests.Cases)
        {
            var (owner, repository, labels, rule) = ((long)row[0], (string)row[1], (string[])row[2], (string?)row[3]);
            Assert.Equal(rule, Explain(owner, repository, labels).Destination?.Rule);
        }
    }
}
