namespace Ghfe.Store;

/// <summary>One job of a /history page, as read from jobs. Not sealed: /history shows it as a <c>HistoryLine</c>.</summary>
public record HistoryJob(
    long JobId,
    string Status,
    string EntityName,
    string Repository,
    IReadOnlyList<string> Labels,
    string Pool,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);
