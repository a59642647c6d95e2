namespace Ghfe.History;

/// <summary>
/// The /history query: a window [Start, End) in UTC and optional filters (read from the query
/// string by Pages' HistoryQuery).
/// </summary>
public sealed record HistoryFilter(
    DateTimeOffset Start,
    DateTimeOffset End,
    int Page,
    int PerPage,
    string? Entity,
    string? Pool,
    string? Status,
    string? Repo)
{
    public const int DefaultPerPage = 100;

    public const int MaxPerPage = 500;

    public const int DefaultDays = 7;

    /// <summary>The statuses a job has, as the status filter takes them.</summary>
    public static readonly string[] Statuses = ["pending", "running", "completed", "failed"];

    /// <summary>Days covered by the window, each as the UTC date it starts.</summary>
    public IEnumerable<DateOnly> Days()
    {
        for (var day = Start.UtcDateTime.Date; day < End.UtcDateTime; day = day.AddDays(1))
        {
            yield return DateOnly.FromDateTime(day);
        }
    }

    /// <summary>The query string that gives this filter again, at another page.</summary>
    public string QueryFor(int page, string? token)
    {
        var parts = new List<string>
        {
            $"start={Start:yyyy-MM-dd}",
            $"end={End.AddDays(-1):yyyy-MM-dd}",
        };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("entity", Entity);
        Add("pool", Pool);
        Add("status", Status);
        Add("repo", Repo);
        if (PerPage != DefaultPerPage)
        {
            parts.Add($"per_page={PerPage}");
        }

        parts.Add($"page={page}");
        Add("token", token);
        return string.Join('&', parts);
    }
}
