using System.Text.Json.Serialization;
using Ghfe.Store;

namespace Ghfe.Pages;

/// <summary>One job of a /history page: the row as read (all the JSON has), with its times as text for the HTML.</summary>
public sealed record HistoryLine : HistoryJob
{
    /// <param name="job">The row; its link is kept only if it is plain http(s).</param>
    public HistoryLine(HistoryJob job)
        : base(job with { HtmlUrl = Links.SafeHttp(job.HtmlUrl) })
    {
    }

    [JsonIgnore]
    public string Created => Durations.Utc(CreatedAt);

    [JsonIgnore]
    public string QueueWait => StartedAt is { } started ? Durations.Short(started - CreatedAt) : "–";

    [JsonIgnore]
    public string RunTime => StartedAt is { } from && CompletedAt is { } to ? Durations.Short(to - from) : "–";
}
