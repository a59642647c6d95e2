using System.Text.Json.Serialization;

namespace Ghfe.Pages;

/// <summary>One active job on /usage, with its age in seconds (JSON) and as text (HTML).</summary>
public sealed record JobLine(
    long JobId,
    string Status,
    IReadOnlyList<string> Labels,
    string Repository,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    long AgeSeconds,
    [property: JsonIgnore] string Age);
