using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>
/// A page's query string, read by the one rule every page follows: a parameter the page does not
/// know, one given more than once, or a value over <see cref="MaxLength"/> characters or with a NUL
/// in it is a 400 naming it. <c>token</c> (the pages token, checked before any page) is always let through.
/// An empty value reads as absent.
/// </summary>
public sealed partial class QueryReader
{
    /// <summary>Room for a job's whole label list (/routing/explain's labels), far below what a URL may carry.</summary>
    public const int MaxLength = 1000;

    private readonly IReadOnlyDictionary<string, string[]> _query;

    private QueryReader(IReadOnlyDictionary<string, string[]> query) => _query = query;

    /// <param name="query">Each parameter's values, as the request gave them.</param>
    /// <param name="known">The parameters this page takes, as its 400 lists them.</param>
    public static Either<string, QueryReader> Read(IReadOnlyDictionary<string, string[]> query, params string[] known)
    {
        foreach (var (name, values) in query)
        {
            if (name == "token")
            {
                continue;
            }

            if (!known.Contains(name, StringComparer.Ordinal))
            {
                return known.Length == 0
                    ? $"unknown parameter \"{Shown(name)}\" (this page takes none)"
                    : $"unknown parameter \"{Shown(name)}\" (known: {string.Join(", ", known)})";
            }

            if (values.Length > 1)
            {
                return $"parameter \"{name}\" is given more than once";
            }

            if (values.Length == 1 && (values[0].Length > MaxLength || values[0].Contains('\0', StringComparison.Ordinal)))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{name} is longer than {MaxLength:N0} characters or not text");
            }
        }

        return new QueryReader(query);
    }

    /// <summary>The parameter's value; null when it is absent or empty.</summary>
    public string? Text(string name) =>
        _query.TryGetValue(name, out var values) && values.Length == 1 && values[0].Length > 0 ? values[0] : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public Either<string, int> Number(string name, int min, int max, int fallback) =>
        Text(name) is not { } value ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max ? Right<string, int>(number)
        : $"{name} must be a whole number from {min} to {(max == int.MaxValue ? "up" : max.ToString(CultureInfo.InvariantCulture))} (got \"{value}\")";

    /// <summary>
    /// The window [start, end) of <c>start</c> and <c>end</c>, whole UTC days: by default the
    /// <paramref name="defaultDays"/> days up to and including today.
    /// </summary>
    public Either<string, (DateTimeOffset Start, DateTimeOffset End)> Window(DateTimeOffset now, int defaultDays)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return
            from start in Day("start", today, endOfDay: false, fallback: today.AddDays(-defaultDays + 1))
            from end in Day("end", today, endOfDay: true, fallback: today.AddDays(1))
            from window in start < end
                ? Right<string, (DateTimeOffset, DateTimeOffset)>((start, end))
                : Left<string, (DateTimeOffset, DateTimeOffset)>($"start ({start:yyyy-MM-dd}) must come before end ({end.AddDays(-1):yyyy-MM-dd})")
            select window;
    }

    /// <summary>
    /// A UTC day: YYYY-MM-DD, or -Nd for N days before <paramref name="today"/>; an end day is included
    /// whole (<paramref name="endOfDay"/>: the next day's midnight). <paramref name="fallback"/> when absent.
    /// </summary>
    private Either<string, DateTimeOffset> Day(string name, DateTimeOffset today, bool endOfDay, DateTimeOffset fallback)
    {
        if (Text(name) is not { } value)
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

    /// <summary>An unknown parameter's name as the 400 quotes it: cut short, since anything may come in a query string.</summary>
    private static string Shown(string name) => name.Length > 100 ? name[..100] + "…" : name;

    [GeneratedRegex("^-([0-9]{1,5})d$")]
    private static partial Regex RelativeDays();
}
