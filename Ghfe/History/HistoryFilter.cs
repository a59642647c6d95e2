using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.History;

/// <summary>
/// The /history query: a window [Start, End) in UTC and optional filters. Parsing is pure and
/// refuses a bad parameter by name.
/// </summary>
public sealed partial record HistoryFilter(
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

    private static readonly string[] Known = ["start", "end", "page", "per_page", "entity", "pool", "status", "repo", "token"];

    private static readonly string[] Statuses = ["pending", "running", "completed", "failed"];

    /// <summary>Days covered by the window, each as the UTC date it starts.</summary>
    public IEnumerable<DateOnly> Days()
    {
        for (var day = Start.UtcDateTime.Date; day < End.UtcDateTime; day = day.AddDays(1))
        {
            yield return DateOnly.FromDateTime(day);
        }
    }

    /// <param name="query">Each parameter's values, as the request gave them.</param>
    public static Either<string, HistoryFilter> Parse(IReadOnlyDictionary<string, string[]> query, DateTimeOffset now)
    {
        var unknown = query.Keys.FirstOrDefault(key => !Known.Contains(key, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return $"unknown parameter \"{unknown}\" (known: {string.Join(", ", Known[..^1])})";
        }

        var repeated = query.FirstOrDefault(pair => pair.Value.Length > 1).Key;
        if (repeated is not null)
        {
            return $"parameter \"{repeated}\" is given more than once";
        }

        string? Value(string name) => query.TryGetValue(name, out var values) && values.Length == 1 && values[0].Length > 0 ? values[0] : null;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);

        return
            from start in Day(Value("start"), "start", today, endOfDay: false, fallback: today.AddDays(-DefaultDays + 1))
            from end in Day(Value("end"), "end", today, endOfDay: true, fallback: today.AddDays(1))
            from ordered in start < end
                ? Right<string, Unit>(unit)
                : Left<string, Unit>($"start ({start:yyyy-MM-dd}) must come before end ({end.AddDays(-1):yyyy-MM-dd})")
            from page in Number(Value("page"), "page", 0, int.MaxValue, 0)
            from perPage in Number(Value("per_page"), "per_page", 1, MaxPerPage, DefaultPerPage)
            from entity in Text(Value("entity"), "entity")
            from pool in Text(Value("pool"), "pool")
            from status in Value("status") is not { } given || Statuses.Contains(given, StringComparer.Ordinal)
                ? Right<string, Unit>(unit)
                : Left<string, Unit>($"status must be one of {string.Join(", ", Statuses)} (got \"{given}\")")
            from repo in Text(Value("repo"), "repo")
            select new HistoryFilter(start, end, page, perPage, Value("entity"), Value("pool"), Value("status"), Value("repo"));
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

    /// <summary>YYYY-MM-DD (a UTC day; an end day is included whole) or -Nd (N days before today).</summary>
    internal static Either<string, DateTimeOffset> Day(string? value, string name, DateTimeOffset today, bool endOfDay, DateTimeOffset fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        DateTimeOffset day;
        var relative = RelativeDays().Match(value);
        if (relative.Success && int.TryParse(relative.Groups[1].Value, CultureInfo.InvariantCulture, out var days) && days <= 36_500)
        {
            day = today.AddDays(-days);
        }
        else if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date.Year is < 1970 or > 9000)
            {
                // 9999-12-31 plus a day is past what a date can hold: a 400, not a 500.
                return $"{name} must be a date from 1970 to 9000 (got \"{value}\")";
            }

            day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        else
        {
            return $"{name} must be a date YYYY-MM-DD or a number of days back like -7d (got \"{value}\")";
        }

        return endOfDay ? day.AddDays(1) : day;
    }

    internal static Either<string, int> Number(string? value, string name, int min, int max, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? Right<string, int>(number)
            : $"{name} must be a whole number from {min} to {(max == int.MaxValue ? "up" : max.ToString(CultureInfo.InvariantCulture))} (got \"{value}\")";
    }

    /// <summary>A free-text filter is checked, not changed: absent, or short text.</summary>
    private static Either<string, Unit> Text(string? value, string name) =>
        value is not null && (value.Length > 200 || value.Contains('\0', StringComparison.Ordinal))
            ? Left<string, Unit>($"{name} is too long or not text")
            : Right<string, Unit>(unit);

    [GeneratedRegex("^-([0-9]{1,5})d$")]
    private static partial Regex RelativeDays();
}
