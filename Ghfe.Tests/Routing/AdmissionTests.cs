using Ghfe.Routing;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Routing;

/// <summary>Who the routing file refuses before staging and the rules: banned owners and senders, repositories that are not public.</summary>
public class AdmissionTests
{
    private static readonly Admission Bans = new(new HashSet<long> { 7 }, new HashSet<long> { 8 }, PublicOnly: true);

    private static string? Why(Admission admission, long owner, long? sender, string? visibility) =>
        admission.Check(owner, sender, visibility).MatchUnsafe(Some: refusal => refusal.Why, None: () => null);

    [Theory]
    [InlineData(7L, 1L, "public", "owner 7 is banned (banned_entities)")]
    [InlineData(7L, 8L, "private", "owner 7 is banned (banned_entities)")]
    [InlineData(1L, 8L, "public", "sender 8 is banned (banned_senders)")]
    [InlineData(1L, null, "private", "the repository is private, and only public repositories are served (public_repositories_only)")]
    [InlineData(1L, null, "internal", "the repository is internal, and only public repositories are served (public_repositories_only)")]
    [InlineData(1L, null, null, "the delivery does not say the repository is public, and only public repositories are served (public_repositories_only)")]
    [InlineData(1L, null, "Public", "the repository is Public, and only public repositories are served (public_repositories_only)")]
    [InlineData(1L, 2L, "public", null)]
    public void Bans_come_first_then_the_repository_must_be_public(long owner, long? sender, string? visibility, string? why)
    {
        Assert.Equal(why, Why(Bans, owner, sender, visibility));
    }

    [Fact]
    public void Open_refuses_nobody_and_a_file_without_the_switch_serves_every_repository()
    {
        Assert.False(Admission.Open.RefusesAny);
        Assert.Null(Why(Admission.Open, 7, 8, null));
        Assert.Null(Why(Bans with { PublicOnly = false }, 1, null, "private"));
    }

    [Fact]
    public void The_shipped_file_refuses_nobody_and_the_control_planes_refuses_as_it_does()
    {
        Assert.False(ShippedRouting.Prod.Admission.RefusesAny);
        Assert.Equal(
            "refused before routing: banned owners none; banned senders none; repositories that are not public served",
            ShippedRouting.Prod.Admission.Describe());
        Assert.Equal(
            "refused before routing: banned owners 325883364, 325940811; banned senders 13410920, 326547083; repositories that are not public refused",
            ControlPlaneRouting.Prod.Admission.Describe());
    }

    [Fact]
    public void The_explanation_of_a_refused_job_reaches_no_rule()
    {
        var explanation = Explainer.Explain(ControlPlaneRouting.Staging.Routing, 325883364, "demo/x", ["ubuntu-24.04-riscv"], ControlPlaneRouting.Staging.Admission);

        Assert.Null(explanation.Destination);
        Assert.Equal("owner 325883364 is banned (banned_entities)", explanation.Refused);
        Assert.All(explanation.Rules, rule => Assert.Equal("not reached", rule.Verdict));
        Assert.Equal("refused before routing: owner 325883364 is banned (banned_entities)", Explainer.Reason(explanation));
    }

    [Fact]
    public void An_explanation_without_a_visibility_takes_the_repository_as_public_and_one_with_it_applies_the_rule()
    {
        var config = ControlPlaneRouting.Staging;

        Assert.Equal("scaleway-em-rv1", Explainer.Explain(config.Routing, 42, "x/y", ["ubuntu-24.04-riscv"], config.Admission).Destination?.Pool);
        var privately = Explainer.Explain(config.Routing, 42, "x/y", ["ubuntu-24.04-riscv"], config.Admission, visibility: "private");
        Assert.Null(privately.Destination);
        Assert.StartsWith("the repository is private", privately.Refused, StringComparison.Ordinal);
        Assert.Equal("sender 13410920 is banned (banned_senders)", Explainer.Explain(config.Routing, 42, "x/y", ["ubuntu-24.04-riscv"], config.Admission, sender: 13410920).Refused);
    }
}
