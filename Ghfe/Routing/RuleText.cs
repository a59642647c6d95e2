namespace Ghfe.Routing;

/// <summary>Rules in words, for people: check-config, /routing and the explanations say them alike.</summary>
public static class RuleText
{
    public static string Scope(RoutingRule rule) => rule.AppliesTo.Count == 0
        ? "everyone"
        : string.Join("; ", rule.AppliesTo.Select(scope => scope.Repositories.Count == 0
            ? $"owner {scope.Owner}"
            : $"owner {scope.Owner} repositories {string.Join(", ", scope.Repositories)}"));

    public static string Match(LabelMatch match) => match switch
    {
        LabelMatch.Exactly exactly => $"labels exactly [{string.Join(", ", exactly.Labels)}]",
        LabelMatch.Includes includes => $"a label among [{string.Join(", ", includes.Labels)}]",
        LabelMatch.AnyContains contains => $"a label containing one of [{string.Join(", ", contains.Fragments)}]",
        _ => match.ToString(),
    };

    public static IEnumerable<string> Lines(RoutingTable table) =>
        table.Rules.SelectMany((rule, index) => new[] { $"{index + 1}. {rule.Name} — applies to {Scope(rule)}" }
            .Concat(rule.Routes.Select(route => $"     {Match(route.Labels)} → pool {route.Pool}, image {route.Image}")));
}
