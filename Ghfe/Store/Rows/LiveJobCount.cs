namespace Ghfe.Store;

/// <summary>How many live jobs one entity has asking for one label set in one pool, in one status, as read for /usage.</summary>
/// <param name="OldestCreatedAt">When the oldest of these jobs was queued.</param>
public sealed record LiveJobCount(long EntityId, string EntityName, IReadOnlyList<string> Labels, string Pool, string Status, int Jobs, DateTimeOffset OldestCreatedAt);
