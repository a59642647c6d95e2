namespace Ghfe.Routing;

/// <summary>
/// The routing rules, in order. The first rule whose scope covers the job's owner and
/// repository decides: its first route whose labels match gives the pool and image, and
/// when none matches the job is ignored — unless the rule falls through, when the search
/// goes on with the next rule.
/// </summary>
public sealed record RoutingTable(IReadOnlyList<RoutingRule> Rules);

/// <summary>A rule; an empty <paramref name="AppliesTo"/> covers everyone.</summary>
/// <param name="FallsThrough">When it covers the job but none of its routes matches, later rules are tried (else the job is ignored).</param>
public sealed record RoutingRule(string Name, IReadOnlyList<Scope> AppliesTo, IReadOnlyList<LabelRoute> Routes, bool FallsThrough = false);

/// <summary>An owner id, and optionally only some of its repositories (full names, case-insensitive).</summary>
public sealed record Scope(long Owner, IReadOnlyList<string> Repositories);

/// <summary>
/// Labels that match send the job to <paramref name="Pool"/> with the runner <paramref name="Image"/>;
/// <paramref name="Provider"/>, when the route names one, is the board's provider in the control plane's node selector.
/// </summary>
public sealed record LabelRoute(LabelMatch Labels, string Pool, string Image, string? Provider = null);

/// <summary>Where a routed job runs, and which rule said so.</summary>
public sealed record Destination(string Rule, string Pool, string Image, string? Provider = null);

/// <summary>The ways a route matches labels. Labels compare ignoring case, as GitHub compares <c>runs-on</c> with a runner's labels.</summary>
public abstract record LabelMatch
{
    private LabelMatch() { }

    /// <summary>The job's labels are exactly these (as a sorted multiset).</summary>
    public sealed record Exactly(IReadOnlyList<string> Labels) : LabelMatch;

    /// <summary>At least one of the job's labels equals one of these.</summary>
    public sealed record Includes(IReadOnlyList<string> Labels) : LabelMatch;

    /// <summary>At least one of the job's labels contains one of these as a substring.</summary>
    public sealed record AnyContains(IReadOnlyList<string> Fragments) : LabelMatch;
}
