using System.Text.Json.Serialization;

namespace Ghfe.Pages;

/// <summary>One job of a /history page, with its times as text for the HTML.</summary>
public sealed record HistoryLine(
    long JobId,
    string Status,
    string EntityName,
    string Repository,
    IReadOnlyList<string> Labels,
    string Pool,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    [property: JsonIgnore] string Created,
    [property: JsonIgnore] string QueueWait,
    [property: JsonIgnore] string RunTime);
