using Ghfe.Webhook;

namespace Ghfe.Routing;

/// <summary>What one rule made of a job: decided it, did not cover it, or was never reached.</summary>
public sealed record RuleVerdict(int Position, string Rule, string Verdict, IReadOnlyList<string> Reasons);

/// <summary>Why a job would (not) get a runner: every rule in order, and where the job would go.</summary>
public sealed record Explanation(long Owner, string Repository, IReadOnlyList<string> Labels, Destination? Destination, IReadOnlyList<RuleVerdict> Rules);

public static class Explainer
{
    /// <summary>
    /// Pure. The destination comes from <see cref="Router.Resolve"/> itself and the reasons from
    /// the very predicates it uses (<see cref="Router.Covers"/>, <see cref="Router.Matches"/>):
    /// the explanation cannot drift from what the pipeline does.
    /// </summary>
    public static Explanation Explain(RoutingTable table, long owner, string repository, IReadOnlyList<string> labels)
    {
        var sorted = Labels.Sorted(labels);
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
                ? new RuleVerdict(index, rule.Name, "matches", [$"{RuleText.Match(matching.Labels)} → pool {matching.Pool}, image {matching.Image}"])
                : new RuleVerdict(index, rule.Name, "applies, but no route matches: the job is ignored", [.. rule.Routes.Select(route => $"needs {RuleText.Match(route.Labels)}")]));
        }

        return new Explanation(owner, repository, labels, destination, verdicts);
    }
}

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
        table.Rules.SelectMany((rule, index) => new[] { $"{index + 1}. {rule.Name} — applies to {Scope(rule, login)}" }
            .Concat(rule.Routes.Select(route => $"     {Match(route.Labels)} → pool {route.Pool}, image {route.Image}")));
}
