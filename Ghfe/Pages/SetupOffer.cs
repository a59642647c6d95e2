using Ghfe.Routing;

namespace Ghfe.Pages;

/// <summary>A way the routing runs an account's jobs: in which of its repositories, on which labels, where.</summary>
/// <param name="Repositories">Empty: every repository of the account.</param>
/// <param name="Match">How the labels match <c>runs-on</c>, in words: "exactly", "any of", "one containing any of".</param>
public sealed record SetupOffer(IReadOnlyList<string> Repositories, string Match, IReadOnlyList<string> Labels, string Pool)
{
    /// <summary>
    /// What the routing table offers an owner's jobs, in the order the router tries it: each rule
    /// scoped to some of the owner's repositories, up to the first that covers the owner whole (or
    /// everyone), which decides for every other repository; no rule past it is ever reached.
    /// </summary>
    public static IReadOnlyList<SetupOffer> For(RoutingTable table, long ownerId)
    {
        var offers = new List<SetupOffer>();
        foreach (var rule in table.Rules)
        {
            var scopes = rule.AppliesTo.Where(scope => scope.Owner == ownerId).ToList();
            var whole = rule.AppliesTo.Count == 0 || scopes.Any(scope => scope.Repositories.Count == 0);
            if (!whole && scopes.Count == 0)
            {
                continue;
            }

            IReadOnlyList<string> repositories = whole ? [] : [.. scopes.SelectMany(scope => scope.Repositories).Distinct(StringComparer.OrdinalIgnoreCase)];
            offers.AddRange(rule.Routes.Select(route => route.Labels switch
            {
                LabelMatch.Exactly exactly => new SetupOffer(repositories, "exactly", exactly.Labels, route.Pool),
                LabelMatch.Includes includes => new SetupOffer(repositories, "any of", includes.Labels, route.Pool),
                LabelMatch.AnyContains contains => new SetupOffer(repositories, "one containing any of", contains.Fragments, route.Pool),
                _ => new SetupOffer(repositories, RuleText.Match(route.Labels), [], route.Pool),
            }));
            if (whole)
            {
                break;
            }
        }

        return offers;
    }
}
