namespace Ghfe.History;

/// <summary>Day rollups summed into what /history shows: a line per (entity, pool) and jobs per day per pool.</summary>
public static class HistorySummary
{
    public static (IReadOnlyList<HistoryGroupStats> Groups, IReadOnlyList<DailyCount> Daily) Of(IEnumerable<DayRollup> rollups)
    {
        var all = rollups.ToList();
        var groups = all
            .GroupBy(rollup => (rollup.EntityId, rollup.Pool))
            .Select(Group)
            .OrderByDescending(group => group.Pending + group.Running + group.Completed + group.Failed)
            .ThenBy(group => group.EntityName, StringComparer.Ordinal)
            .ThenBy(group => group.Pool, StringComparer.Ordinal)
            .ToList();
        var daily = all
            .GroupBy(rollup => (rollup.Day, rollup.Pool))
            .Select(day => new DailyCount(day.Key.Day, day.Key.Pool, day.Sum(rollup => rollup.Jobs)))
            .OrderBy(day => day.Day)
            .ThenBy(day => day.Pool, StringComparer.Ordinal)
            .ToList();
        return (groups, daily);
    }

    private static HistoryGroupStats Group(IGrouping<(long EntityId, string Pool), DayRollup> rollups)
    {
        var queueWait = new DurationHistogram.Sum();
        var runTime = new DurationHistogram.Sum();
        foreach (var rollup in rollups)
        {
            queueWait.Add(rollup.QueueWait);
            runTime.Add(rollup.RunTime);
        }

        int Count(string status) => rollups.Where(rollup => rollup.Status == status).Sum(rollup => rollup.Jobs);
        return new HistoryGroupStats(
            rollups.Key.EntityId,
            rollups.Select(rollup => rollup.EntityName).Max(StringComparer.Ordinal)!,
            rollups.Key.Pool,
            Count("pending"),
            Count("running"),
            Count("completed"),
            Count("failed"),
            queueWait.Percentile(0.5),
            queueWait.Percentile(0.95),
            runTime.Percentile(0.5),
            runTime.Percentile(0.95));
    }
}
