using Ghfe.Webhook;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Routing;

/// <summary>Where a label becomes a pool: a pure function of the rules and the job.</summary>
public static class Router
{
    /// <param name="sortedLabels">The job's labels, sorted with <see cref="Webhook.Labels.Sorted"/>.</param>
    public static Option<Destination> Resolve(RoutingTable table, long owner, string repositoryFullName, IReadOnlyList<string> sortedLabels) =>
        table.Rules
            .FirstOrNone(rule => Covers(rule, owner, repositoryFullName))
            .Bind(rule => rule.Routes
                .FirstOrNone(route => Matches(route.Labels, sortedLabels))
                .Map(route => new Destination(rule.Name, route.Pool, route.Image)));

    public static bool Covers(RoutingRule rule, long owner, string repositoryFullName) =>
        rule.AppliesTo.Count == 0 || rule.AppliesTo.Any(scope =>
            scope.Owner == owner
            && (scope.Repositories.Count == 0
                || scope.Repositories.Contains(repositoryFullName, StringComparer.OrdinalIgnoreCase)));

    public static bool Matches(LabelMatch match, IReadOnlyList<string> sortedLabels) => match switch
    {
        LabelMatch.Exactly exactly => exactly.Labels.SequenceEqual(sortedLabels, StringComparer.Ordinal),
        LabelMatch.Includes includes => sortedLabels.Any(label => includes.Labels.Contains(label, StringComparer.Ordinal)),
        LabelMatch.AnyContains contains => sortedLabels.Any(label =>
            contains.Fragments.Any(fragment => label.Contains(fragment, StringComparison.Ordinal))),
        _ => false,
    };

    /// <summary>A rule file states exact sets in any order; compare them sorted like the job's labels.</summary>
    public static LabelMatch.Exactly Exactly(IEnumerable<string> labels) =>
        new(Labels.Sorted(labels.ToArray()));

    private static Option<T> FirstOrNone<T>(this IEnumerable<T> items, Func<T, bool> predicate)
    {
        foreach (var item in items)
        {
            if (predicate(item))
            {
                return Some(item);
            }
        }

        return None;
    }
}
