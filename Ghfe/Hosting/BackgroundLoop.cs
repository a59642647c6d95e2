namespace Ghfe.Hosting;

/// <summary>
/// A background loop of ghfe's (journal replay, rollups, the delivery log, routing reload, queue
/// gauges): it runs from start until ghfe stops, and stopping is its end, never a crash. Not a
/// <see cref="BackgroundService"/>: when a start fails (a taken port) the host cancels those before
/// they have run and reports each as crashed ("BackgroundService failed", critical) above the
/// one line ghfe prints.
/// </summary>
public abstract class BackgroundLoop : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Where a loop that fails for a reason of its own says so.</summary>
    protected abstract ILogger Log { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var stopping = _stopping.Token;
        _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    public virtual async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    /// <summary>
    /// Stops the loop if the host did not (a start that failed). The token source is only cancelled,
    /// never disposed: a loop still starting may read its token, and one with no timer holds nothing.
    /// </summary>
    public void Dispose()
    {
        _stopping.Cancel();
        GC.SuppressFinalize(this);
    }

    protected abstract Task LoopAsync(CancellationToken stoppingToken);

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await LoopAsync(stopping);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Whatever a loop was doing when ghfe stopped (a read cut off, a pool gone) is its end, not a failure.
        }
        catch (Exception e)
        {
            // A bug, not the weather (each loop rides out the database and the disk): loud, and the rest of ghfe goes on.
            Log.LogCritical(e, "{Loop} stopped: {Problem}", GetType().Name, e.Message);
        }
    }
}
