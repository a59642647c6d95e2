using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Observability;
using Npgsql;
using Prometheus;

namespace Ghfe.Store;

/// <summary>
/// Keeps the queue gauges (ghfe_jobs, ghfe_oldest_pending_job_age_seconds, ghfe_workers) in
/// step with PostgreSQL: one indexed read every <see cref="Interval"/>, never one per scrape; a
/// scrape serves the last values. While the database does not answer the values stay as they
/// were, and ghfe_queue_refresh_age_seconds says how old they are. Replicas each refresh; they
/// read the same tables, so they publish the same values.
/// </summary>
public sealed class QueueGauges : BackgroundLoop
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly DatabaseState _state;
    private readonly LiveRouting _routing;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueGauges> _log;
    private long _refreshedTicks;

    public QueueGauges(NpgsqlDataSource dataSource, DatabaseState state, LiveRouting routing, TimeProvider clock, ILogger<QueueGauges> log)
    {
        (_dataSource, _state, _routing, _clock, _log) = (dataSource, state, routing, clock, log);
        // Until the first read, the values are as old as ghfe.
        _refreshedTicks = clock.GetUtcNow().UtcTicks;
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => GhfeMetrics.QueueRefreshAge.Set(RefreshAge.TotalSeconds));
    }

    public TimeSpan RefreshAge => _clock.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _refreshedTicks), TimeSpan.Zero);

    protected override ILogger Log => _log;

    protected override async Task LoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _clock);
        var failing = false;
        do
        {
            if (!_state.SchemaReady)
            {
                continue;
            }

            try
            {
                await RefreshAsync(stoppingToken);
                failing = false;
            }
            catch (Exception e) when (e is OperationCanceledException && stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Transient.Is(e) || e is NpgsqlException)
            {
                // Said once per outage; ghfe_queue_refresh_age_seconds keeps saying it.
                if (!failing)
                {
                    _log.LogWarning("queue gauges: PostgreSQL did not answer ({Problem}); keeping the last values", e.Message);
                }

                failing = true;
            }
        }
        while (await timer.TickAsync(stoppingToken));
    }

    /// <summary>One read and publish; public so that tests can run it on demand.</summary>
    public async Task<QueueSample> RefreshAsync(CancellationToken cancellationToken)
    {
        var counts = await QueueCounts.ReadAsync(_dataSource, _state.Generation, cancellationToken);
        var now = _clock.GetUtcNow();
        var sample = QueueSample.Of(_routing.Current.Config.Pools, counts, now);
        Publish(sample);
        Interlocked.Exchange(ref _refreshedTicks, now.UtcTicks);
        return sample;
    }

    private static void Publish(QueueSample sample)
    {
        foreach (var ((pool, status), count) in sample.Jobs)
        {
            GhfeMetrics.Jobs.WithLabels(pool, status).Set(count);
        }

        foreach (var ((pool, status), count) in sample.Workers)
        {
            GhfeMetrics.Workers.WithLabels(pool, status).Set(count);
        }

        foreach (var (pool, seconds) in sample.OldestPendingSeconds)
        {
            GhfeMetrics.OldestPendingAge.WithLabels(pool).Set(seconds);
        }

        // A pool taken out of the routing file stops being a series.
        RemoveStale(GhfeMetrics.Jobs, labels => sample.Jobs.ContainsKey((labels[0], labels[1])));
        RemoveStale(GhfeMetrics.Workers, labels => sample.Workers.ContainsKey((labels[0], labels[1])));
        RemoveStale(GhfeMetrics.OldestPendingAge, labels => sample.OldestPendingSeconds.ContainsKey(labels[0]));
    }

    private static void RemoveStale(Gauge gauge, Func<string[], bool> current)
    {
        foreach (var labels in gauge.GetAllLabelValues().Where(labels => !current(labels)).ToArray())
        {
            gauge.RemoveLabelled(labels);
        }
    }
}
