namespace Ghfe.Routing;

/// <summary>Why a job goes where it goes, rule by rule.</summary>
public static class Explainer
{
    /// <summary>
    /// Pure. The destination comes from <see cref="Router.Resolve"/> itself and the reasons from
    /// the very predicates it uses (<see cref="Router.Covers"/>, <see cref="Router.Matches"/>):
    /// the explanation cannot drift from what the pipeline does. A job <paramref name="admission"/>
    /// refuses reaches no rule; <paramref name="visibility"/> null means unknown here (the
    /// non-public rule is then not applied: a delivery without one is refused, but a question may omit it).
    /// </summary>
    public static Explanation Explain(
        RoutingTable table, long owner, string repository, IReadOnlyList<string> labels, Admission? admission = null, long? sender = null, string? visibility = null)
    {
        var refused = (admission ?? Admission.Open).Check(owner, sender, visibility ?? Admission.Public).MatchUnsafe(Some: refusal => refusal.Why, None: () => null);
        if (refused is not null)
        {
            return new Explanation(owner, repository, labels, null,
                [.. table.Rules.Select((rule, index) => new RuleVerdict(index + 1, rule.Name, "not reached", [$"refused before routing: {refused}"]))], refused);
        }

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

            var matching = rule.Routes.FirstOrDefault(route => Router.Matches(route.Labels, sorted));
            decided = matching is not null || !rule.FallsThrough;
            verdicts.Add(matching is not null
                ? new RuleVerdict(index, rule.Name, "matches", [$"{RuleText.Match(matching.Labels)} → pool {matching.Pool}{RuleText.ProviderText(matching.Provider)}, image {matching.Image}", .. NearMiss.CaseOnly(matching.Labels, labels)])
                : new RuleVerdict(index, rule.Name, rule.FallsThrough ? FellThrough : Ignored, [.. rule.Routes.SelectMany(route => Needs(route, labels))]));
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

        if (explanation.Refused is { } refused)
        {
            return $"refused before routing: {refused}";
        }

        var labels = $"[{string.Join(", ", explanation.Labels)}]";
        if (explanation.Rules.FirstOrDefault(verdict => verdict.Verdict == Ignored) is { } deciding)
        {
            return $"rule {deciding.Position} ({deciding.Rule}) applies, but none of its routes takes {labels}" + NearMissOf(deciding);
        }

        var fell = explanation.Rules.Where(verdict => verdict.Verdict == FellThrough).ToList();
        if (fell.Count > 0)
        {
            var rules = string.Join(", ", fell.Select(verdict => $"{verdict.Position} ({verdict.Rule})"));
            return $"no rule takes {labels}: rule{(fell.Count > 1 ? "s" : string.Empty)} {rules} applied but fell through, and no later rule took it" + NearMissOf(fell[0]);
        }

        return $"no rule applies to owner {explanation.Owner} / {explanation.Repository}";
    }

    private static string NearMissOf(RuleVerdict verdict) =>
        verdict.Reasons.FirstOrDefault(reason => reason.StartsWith(NearMissPrefix, StringComparison.Ordinal)) is { } nearMiss ? $"; {nearMiss}" : string.Empty;

    private const string Ignored = "applies, but no route matches: the job is ignored";

    private const string FellThrough = "applies, but no route matches: falls through to the next rule";

    private const string NearMissPrefix = "near miss: ";

    /// <summary>What a route needs, and — when the job is close — what would make it match.</summary>
    private static IEnumerable<string> Needs(LabelRoute route, IReadOnlyList<string> labels) =>
        [$"needs {RuleText.Match(route.Labels)}", .. NearMiss.Of(route.Labels, labels).Select(hint => NearMissPrefix + hint)];
}
