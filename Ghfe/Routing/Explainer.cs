namespace Ghfe.Routing;

/// <summary>Why a job goes where it goes, rule by rule.</summary>
public static class Explainer
{
    /// <summary>
    /// Pure. The destination comes from <see cref="Router.Resolve"/> itself and the reasons from
    /// the very predicates it uses (<see cref="Router.Covers"/>, <see cref="Router.Matches"/>):
    /// the explanation cannot drift from what the pipeline does.
    /// </summary>
    public static Explanation Explain(RoutingTable table, long owner, string repository, IReadOnlyList<string> labels)
    {
        var sorted = LabelOrder.Sorted(labels);
        var destination = Router.Resolve(table, owner, repository, sorted).MatchUnsafe(Some: d => d, None: () => null);
        var verdicts = new List<RuleVerdict>();
        var decided = false;
        foreach (var (rule, index) in table.Rules.Select((rule, index) => (rule, index + 1)))
        {
            if (decided)
            {
                verdicts.Add(new RuleVerdict(index, rule.Name, "not reached", ["an earlier rule decided"]));
                continue;
            }

            if (!Router.Covers(rule, owner, repository))
            {
                verdicts.Add(new RuleVerdict(index, rule.Name, "does not apply", [$"applies to {RuleText.Scope(rule)}, not owner {owner} / {repository}"]));
                continue;
            }

            decided = true;
            var matching = rule.Routes.FirstOrDefault(route => Router.Matches(route.Labels, sorted));
            verdicts.Add(matching is not null
                ? new RuleVerdict(index, rule.Name, "matches", [$"{RuleText.Match(matching.Labels)} → pool {matching.Pool}{RuleText.ProviderText(matching.Provider)}, image {matching.Image}", .. NearMiss.CaseOnly(matching.Labels, labels)])
                : new RuleVerdict(index, rule.Name, Ignored, [.. rule.Routes.SelectMany(route => Needs(route, labels))]));
        }

        return new Explanation(owner, repository, labels, destination, verdicts);
    }

    /// <summary>
    /// Pure. The explanation in one line, for a job no rule routes: the rule that decided and the
    /// first near miss it names, or that no rule applies; null for a job that is routed.
    /// </summary>
    public static string? Reason(Explanation explanation)
    {
        if (explanation.Destination is not null)
        {
            return null;
        }

        var labels = $"[{string.Join(", ", explanation.Labels)}]";
        if (explanation.Rules.FirstOrDefault(verdict => verdict.Verdict == Ignored) is not { } deciding)
        {
            return $"no rule applies to owner {explanation.Owner} / {explanation.Repository}";
        }

        var nearMiss = deciding.Reasons.FirstOrDefault(reason => reason.StartsWith(NearMissPrefix, StringComparison.Ordinal));
        return $"rule {deciding.Position} ({deciding.Rule}) applies, but none of its routes takes {labels}" + (nearMiss is null ? string.Empty : $"; {nearMiss}");
    }

    private const string Ignored = "applies, but no route matches: the job is ignored";

    private const string NearMissPrefix = "near miss: ";

    /// <summary>What a route needs, and — when the job is close — what would make it match.</summary>
    private static IEnumerable<string> Needs(LabelRoute route, IReadOnlyList<string> labels) =>
        [$"needs {RuleText.Match(route.Labels)}", .. NearMiss.Of(route.Labels, labels).Select(hint => NearMissPrefix + hint)];
}
