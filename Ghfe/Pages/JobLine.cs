using System.Text.Json.Serialization;

namespace Ghfe.Pages;

/// <summary>
/// One active job on /usage: how long it has waited for a worker (a running job: from queued to
/// started) and, once running, how long it has run; in seconds (JSON) and as text (HTML).
/// </summary>
/// <param name="AgeSeconds">Since it was queued, whatever its status.</param>
/// <param name="RunningSeconds">Null while it is pending.</param>
public sealed record JobLine(
    long JobId,
    string Status,
    IReadOnlyList<string> Labels,
    string Repository,
    string? HtmlUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    long AgeSeconds,
    long WaitedSeconds,
    long? RunningSeconds,
    [property: JsonIgnore] string Waited,
    [property: JsonIgnore] string Running);
