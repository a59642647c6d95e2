namespace Ghfe.Pages;

/// <summary>The counts of one pool on /usage.</summary>
public sealed record PoolSummary(string Pool, Counts Counts);
