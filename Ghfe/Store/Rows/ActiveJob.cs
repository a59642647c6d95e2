namespace Ghfe.Store;

/// <summary>An active job (pending or running), as read for /usage.</summary>
public sealed record ActiveJob(
    long JobId,
    string Status,
    long EntityId,
    string EntityName,
    IReadOnlyList<string> Labels,
    string Pool,
    string Repository,
    string? HtmlUrl,
    DateTimeOffset CreatedAt);
