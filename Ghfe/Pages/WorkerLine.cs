using System.Text.Json.Serialization;

namespace Ghfe.Pages;

/// <summary>One active worker on /usage, with its age in seconds (JSON) and as text (HTML).</summary>
public sealed record WorkerLine(
    string PodName,
    string Status,
    string? Node,
    DateTimeOffset CreatedAt,
    long AgeSeconds,
    [property: JsonIgnore] string Age);
