using Ghfe.Routing;

namespace Ghfe.Pages;

public sealed record RouteLine(string Match, string Pool, string Image);

public sealed record RuleLine(int Position, string Name, string AppliesTo, IReadOnlyList<RouteLine> Routes);

/// <summary>The /routing page: the loaded rules in order, as the configuration file states them.</summary>
public sealed record RoutingView(string Environment, string Fingerprint, IReadOnlyList<RuleLine> Rules)
{
    public static RoutingView Build(bool prod, RoutingTable table, string fingerprint) =>
        new(
            Layout.EnvironmentOf(prod),
            fingerprint,
            [.. table.Rules.Select((rule, index) => new RuleLine(
                index + 1,
                rule.Name,
                RuleText.Scope(rule),
                [.. rule.Routes.Select(route => new RouteLine(RuleText.Match(route.Labels), route.Pool, route.Image))]))]);
}
