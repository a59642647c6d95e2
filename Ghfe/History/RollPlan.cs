namespace Ghfe.History;

/// <summary>
/// Which days the store's history roller rolls up next. Days before yesterday (UTC) are rolled
/// up; the run of rolled days only ever grows at either end, so it stays unbroken.
/// </summary>
public static class RollPlan
{
    /// <summary>Days rolled in one transaction: a month of jobs is a few thousand rows on a busy day.</summary>
    public const int ChunkDays = 31;

    /// <summary>Days after which jobs are assumed settled: rolled days older than this are re-checked only by a full pass.</summary>
    public const int RecheckDays = 35;

    /// <summary>The first day not rolled up: yesterday's jobs may still be running.</summary>
    public static DateOnly Horizon(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.Date).AddDays(-1);

    /// <summary>
    /// Spans [From, To) to roll so that the rolled days reach from the oldest job's day to
    /// <paramref name="horizon"/>: newer days first, each span adjacent to what is rolled.
    /// </summary>
    public static IEnumerable<(DateOnly From, DateOnly To)> Extend((DateOnly From, DateOnly To)? rolled, DateOnly? oldest, DateOnly horizon)
    {
        var (from, to) = rolled ?? (horizon, horizon);
        for (var start = to; start < horizon; start = start.AddDays(ChunkDays))
        {
            yield return (start, Min(start.AddDays(ChunkDays), horizon));
        }

        if (oldest is not { } first)
        {
            yield break;
        }

        for (var end = from; end > first; end = end.AddDays(-ChunkDays))
        {
            yield return (Max(end.AddDays(-ChunkDays), first), end);
        }
    }

    /// <summary>The rolled days whose signatures are compared with jobs: the recent ones, or all of them on a full pass.</summary>
    public static (DateOnly From, DateOnly To)? Recheck((DateOnly From, DateOnly To)? rolled, DateOnly horizon, bool full)
    {
        if (rolled is not { } days)
        {
            return null;
        }

        var from = full ? days.From : Max(days.From, horizon.AddDays(-RecheckDays));
        return from < days.To ? (from, days.To) : null;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
