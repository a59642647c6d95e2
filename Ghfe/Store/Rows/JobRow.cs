namespace Ghfe.Store;

/// <summary>One <c>jobs</c> row as /jobs/{id} shows it.</summary>
public sealed record JobRow(
    long JobId,
    string Status,
    string EntityType,
    long EntityId,
    string EntityName,
    string Repository,
    long InstallationId,
    IReadOnlyList<string> Labels,
    string Pool,
    string Image,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Pod = null,
    string? Conclusion = null);
