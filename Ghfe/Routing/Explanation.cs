namespace Ghfe.Routing;

/// <summary>What one rule made of a job: decided it, did not cover it, or was never reached.</summary>
public sealed record RuleVerdict(int Position, string Rule, string Verdict, IReadOnlyList<string> Reasons);

/// <summary>Why a job would (not) get a runner: every rule in order, and where the job would go.</summary>
/// <param name="Refused">Why the job is refused before any rule (a ban, a repository that is not public); null when it is not.</param>
public sealed record Explanation(long Owner, string Repository, IReadOnlyList<string> Labels, Destination? Destination, IReadOnlyList<RuleVerdict> Rules, string? Refused = null);
