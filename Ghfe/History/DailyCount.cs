namespace Ghfe.History;

/// <summary>Jobs created on one UTC day in one pool.</summary>
public sealed record DailyCount(DateOnly Day, string Pool, int Jobs);
