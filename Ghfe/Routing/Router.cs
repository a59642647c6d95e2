using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Routing;

/// <summary>Where a label becomes a pool: a pure function of the rules and the job.</summary>
public static class Router
{
    /// <summary>
    /// The first rule whose scope covers the job decides: its first route whose labels match
    /// gives the destination, and none matching means none — unless the rule falls through,
    /// when the next rules are tried.
    /// Loops rather than LINQ: this runs for every delivery.
    /// </summary>
    /// <param name="sortedLabels">The job's labels, sorted with <see cref="LabelOrder.Sorted"/>.</param>
    public static Option<Destination> Resolve(RoutingTable table, long owner, string repositoryFullName, IReadOnlyList<string> sortedLabels)
    {
        foreach (var rule in table.Rules)
        {
            if (!Covers(rule, owner, repositoryFullName))
            {
                continue;
            }

            foreach (var route in rule.Routes)
            {
                if (Matches(route.Labels, sortedLabels))
                {
                    return new Destination(rule.Name, route.Pool, route.Image, route.Provider);
                }
            }

            if (!rule.FallsThrough)
            {
                return None;
            }
        }

        return None;
    }

    public static bool Covers(RoutingRule rule, long owner, string repositoryFullName)
    {
        if (rule.AppliesTo.Count == 0)
        {
            return true;
        }

        foreach (var scope in rule.AppliesTo)
        {
            if (scope.Owner == owner && (scope.Repositories.Count == 0 || Contains(scope.Repositories, repositoryFullName, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Matches(LabelMatch match, IReadOnlyList<string> sortedLabels) => match switch
    {
        LabelMatch.Exactly exactly => SameLabels(exactly.Labels, sortedLabels),
        LabelMatch.Includes includes => AnyLabel(sortedLabels, includes.Labels, static (label, wanted) => string.Equals(label, wanted, StringComparison.OrdinalIgnoreCase)),
        LabelMatch.AnyContains contains => AnyLabel(sortedLabels, contains.Fragments, static (label, fragment) => label.Contains(fragment, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    /// <summary>A rule file states exact sets in any order; compare them sorted like the job's labels.</summary>
    public static LabelMatch.Exactly Exactly(IEnumerable<string> labels) =>
        new(LabelOrder.Sorted(labels.ToArray()));

    /// <summary>The same multiset of labels, ignoring case (as GitHub compares <c>runs-on</c> with a runner's labels).</summary>
    private static bool SameLabels(IReadOnlyList<string> expected, IReadOnlyList<string> labels)
    {
        if (expected.Count != labels.Count)
        {
            return false;
        }

        if (expected.Count == 1)
        {
            return string.Equals(expected[0], labels[0], StringComparison.OrdinalIgnoreCase);
        }

        // Sorted by code point, "B" and "a" swap places once case is ignored: sort both alike.
        var left = expected.Order(StringComparer.OrdinalIgnoreCase);
        var right = labels.Order(StringComparer.OrdinalIgnoreCase);
        return left.SequenceEqual(right, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Whether any of the job's labels stands in <paramref name="relation"/> to any of the rule's.</summary>
    private static bool AnyLabel(IReadOnlyList<string> labels, IReadOnlyList<string> ruleLabels, Func<string, string, bool> relation)
    {
        foreach (var label in labels)
        {
            foreach (var ruleLabel in ruleLabels)
            {
                if (relation(label, ruleLabel))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Contains(IReadOnlyList<string> values, string value, StringComparison comparison)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, comparison))
            {
                return true;
            }
        }

        return false;
    }
}
