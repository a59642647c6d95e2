using System.Diagnostics;
using Ghfe.History;
using Ghfe.Hosting;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Keeps job_days (jobs per day, entity, pool, status) in step with jobs, so that /history
/// over months reads thousands of rollups rather than a million jobs. Every few minutes it
/// rolls up the days that became old enough and re-rolls recent days whose jobs changed (the
/// scheduler updates jobs too); once a day, and at start, it re-checks every rolled day.
/// </summary>
public sealed class HistoryRoller(NpgsqlDataSource dataSource, DatabaseState state, TimeProvider clock, ILogger<HistoryRoller> log)
    : BackgroundLoop
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan FullPassInterval = TimeSpan.FromDays(1);

    protected override ILogger Log => log;

    protected override async Task LoopAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? lastFullPass = null;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            if (!state.SchemaReady)
            {
                continue;
            }

            var now = clock.GetUtcNow();
            var full = lastFullPass is null || now - lastFullPass >= FullPassInterval;
            try
            {
                await PassAsync(now, full, stoppingToken);
                lastFullPass = full ? now : lastFullPass;
            }
            catch (Exception e) when (Transient.Is(e) || e is OperationCanceledException)
            {
                // The database is away (or ghfe is stopping): the next pass tries again.
            }
            catch (NpgsqlException e)
            {
                log.LogError(e, "history rollups failed and will be retried: {Problem}", e.Message);
            }
        }
        while (await timer.TickAsync(stoppingToken));
    }

    /// <summary>One pass; public so that tests (and nothing else) can run it on demand.</summary>
    public async Task PassAsync(DateTimeOffset now, bool full, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var generation = state.Generation;
        (DateOnly From, DateOnly To, bool Broken)? rolls;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            rolls = await HistoryRollups.RolledAsync(connection, cancellationToken);
        }

        if (rolls is { Broken: true })
        {
            log.LogWarning("history rollups: job_days_rolled is not one run of days; rolling everything up again");
            await HistoryRollups.ForgetAllAsync(dataSource, cancellationToken);
        }

        var horizon = RollPlan.Horizon(now);
        (DateOnly From, DateOnly To)? rolled = rolls is { Broken: false } run ? (run.From, run.To) : null;
        var days = 0;
        if (RollPlan.Recheck(rolled, horizon, full) is { } recheck)
        {
            foreach (var day in await HistoryRollups.ChangedDaysAsync(dataSource, recheck.From, recheck.To, generation, cancellationToken))
            {
                await HistoryRollups.RollAsync(dataSource, day, day.AddDays(1), generation, cancellationToken);
                days++;
            }
        }

        var oldest = await HistoryRollups.OldestDayAsync(dataSource, cancellationToken);
        foreach (var (from, to) in RollPlan.Extend(rolled, oldest, horizon))
        {
            await HistoryRollups.RollAsync(dataSource, from, to, generation, cancellationToken);
            days += to.DayNumber - from.DayNumber;
        }

        if (days > 0)
        {
            log.LogInformation("history rollups: {Days} days rolled up in {Elapsed:F0} ms", days, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
