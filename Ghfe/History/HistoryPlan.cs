namespace Ghfe.History;

/// <summary>
/// How one /history window is read: the whole days already rolled up come from job_days, the
/// rest (the last two days, or days not rolled up yet) from jobs. A repository filter reads
/// everything from jobs: the rollups do not keep repositories.
/// </summary>
/// <param name="Rolled">Days [From, To) read from job_days, or null.</param>
/// <param name="Raw">Spans [From, To) of created_at read from jobs.</param>
public sealed record HistoryPlan(
    (DateOnly From, DateOnly To)? Rolled,
    IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Raw)
{
    /// <param name="rolled">The days job_days holds, [From, To), or null when none.</param>
    public static HistoryPlan For(HistoryFilter filter, (DateOnly From, DateOnly To)? rolled)
    {
        if (filter.Repo is not null || rolled is not { } days)
        {
            return new HistoryPlan(null, [(filter.Start, filter.End)]);
        }

        var from = Later(filter.Start, Midnight(days.From));
        var to = Earlier(filter.End, Midnight(days.To));
        if (from >= to)
        {
            return new HistoryPlan(null, [(filter.Start, filter.End)]);
        }

        // A window always starts and ends at midnight UTC, so the rolled span is whole days.
        var raw = new List<(DateTimeOffset, DateTimeOffset)>();
        if (filter.Start < from)
        {
            raw.Add((filter.Start, from));
        }

        if (to < filter.End)
        {
            raw.Add((to, filter.End));
        }

        return new HistoryPlan((DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime)), raw);
    }

    /// <summary>
    /// Where the jobs of the filter's page lie, from the jobs per day: the days [From, To) that
    /// hold them and how many of those days' jobs (newest first) come before the page. Null
    /// when the page is past the last job. Reading only those days keeps a sparse filter over
    /// a long window from walking every job in it.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To, long Offset)? PageSpan(HistoryFilter filter, IEnumerable<DailyCount> daily)
    {
        var skip = (long)filter.Page * filter.PerPage;
        var end = skip + filter.PerPage;
        DateOnly? newest = null;
        long offset = 0, before = 0;
        foreach (var (day, jobs) in daily.GroupBy(d => d.Day).Select(d => (d.Key, d.Sum(c => (long)c.Jobs))).OrderByDescending(d => d.Key))
        {
            if (newest is null && before + jobs > skip)
            {
                newest = day;
                offset = skip - before;
            }

            before += jobs;
            if (newest is { } first && before >= end)
            {
                return (Midnight(day), Midnight(first.AddDays(1)), offset);
            }
        }

        return newest is { } last ? (filter.Start, Midnight(last.AddDays(1)), offset) : null;
    }

    public static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
