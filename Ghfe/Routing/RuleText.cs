namespace Ghfe.Routing;

/// <summary>Rules in words, for people: check-config, /routing and the explanations say them alike.</summary>
public static class RuleText
{
    /// <param name="login">The login the routing file gives an owner id, if any: "owner pytorch (21003710)".</param>
    public static string Scope(RoutingRule rule, Func<long, string?>? login = null) => rule.AppliesTo.Count == 0
        ? "everyone"
        : string.Join("; ", rule.AppliesTo.Select(scope => scope.Repositories.Count == 0
            ? Owner(scope.Owner, login)
            : $"{Owner(scope.Owner, login)} repositories {string.Join(", ", scope.Repositories)}"));

    private static string Owner(long id, Func<long, string?>? login) =>
        login?.Invoke(id) is { Length: > 0 } name ? $"owner {name} ({id})" : $"owner {id}";

    public static string Match(LabelMatch match) => match switch
    {
        LabelMatch.Exactly exactly => $"labels exactly [{string.Join(", ", exactly.Labels)}]",
        LabelMatch.Includes includes => $"a label among [{string.Join(", ", includes.Labels)}]",
        LabelMatch.AnyContains contains => $"a label containing one of [{string.Join(", ", contains.Fragments)}]",
        _ => match.ToString(),
    };

    public static IEnumerable<string> Lines(RoutingTable table, Func<long, string?>? login = null) =>
        table.Rules.SelectMany((rule, index) => new[] { $"{index + 1}. {rule.Name} — applies to {Scope(rule, login)}{FallThroughText(rule)}" }
            .Concat(rule.Routes.Select(route => $"     {Match(route.Labels)} → pool {route.Pool}{ProviderText(route.Provider)}, image {route.Image}")));

    /// <summary>What a rule does when it applies but none of its routes matches, when that is not the default (the job ignored).</summary>
    public static string FallThroughText(RoutingRule rule) => rule.FallsThrough ? "; falls through to the next rule when no route matches" : string.Empty;

    /// <summary>" (provider X)" when the route names one, so a destination reads "pool P (provider X)".</summary>
    public static string ProviderText(string? provider) => provider is null ? string.Empty : $" (provider {provider})";
}
