using Ghfe.Pages;
using Ghfe.Routing;

namespace Ghfe.Tests.Setup;

/// <summary>What /setup says the routing offers an account: the rules the router would try for its jobs, in order, and none past the one that covers it whole.</summary>
public class SetupOfferTests
{
    private static readonly RoutingTable Table = new(
    [
        new RoutingRule("some", [new Scope(7, ["o/a", "o/b"]), new Scope(9, [])], [new LabelRoute(new LabelMatch.AnyContains(["xl"]), "p1", "i")]),
        new RoutingRule("owner", [new Scope(7, [])], [new LabelRoute(new LabelMatch.Includes(["x", "y"]), "p2", "i")]),
        new RoutingRule("everyone", [], [new LabelRoute(new LabelMatch.Exactly(["ubuntu-24.04-riscv"]), "p3", "i")]),
    ]);

    [Fact]
    public void An_owner_gets_its_repositories_rules_then_its_own_and_nothing_past_it() =>
        Assert.Equal(["o/a o/b: one containing any of xl → p1", ": any of x y → p2"], SetupOffer.For(Table, 7).Select(Text));

    [Fact]
    public void An_owner_no_rule_names_gets_the_rule_for_everyone() =>
        Assert.Equal([": exactly ubuntu-24.04-riscv → p3"], SetupOffer.For(Table, 1).Select(Text));

    [Fact]
    public void Without_a_rule_for_everyone_an_unnamed_owner_is_offered_nothing() =>
        Assert.Empty(SetupOffer.For(new RoutingTable(Table.Rules.Take(2).ToList()), 1));

    private static string Text(SetupOffer offer) => $"{string.Join(' ', offer.Repositories)}: {offer.Match} {string.Join(' ', offer.Labels)} → {offer.Pool}";
}
