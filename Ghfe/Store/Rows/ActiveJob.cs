namespace Ghfe.Store;

/// <summary>An active job (pending or running), as read for /usage.</summary>
/// <param name="StartedAt">When a running job started; null for a pending one.</param>
public sealed record ActiveJob(
    long JobId,
    string Status,
    long EntityId,
    string EntityName,
    IReadOnlyList<string> Labels,
    string Pool,
    string Repository,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt = null);
