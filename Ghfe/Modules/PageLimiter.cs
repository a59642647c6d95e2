using System.Threading.RateLimiting;
using Ghfe.Store;

namespace Ghfe.Modules;

/// <summary>
/// How many page requests run at once: as many as the pages' pool has connections, so that no
/// page waits for one, and a short queue; beyond it a page answers 503 at once rather than
/// piling up. A crowd of pages costs the deliveries nothing: they have a pool of their own.
/// </summary>
public sealed class PageLimiter : IDisposable
{
    public const int AtOnce = PagesDataSource.MaxConnections;

    public const int Queued = 8;

    /// <summary>How long a queued page waits for its turn before it answers 503.</summary>
    public static readonly TimeSpan QueueWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = AtOnce,
        QueueLimit = Queued,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>The turn to serve a page, to dispose once it is served; null when there is none to give.</summary>
    public async Task<RateLimitLease?> EnterAsync(CancellationToken requestAborted)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        wait.CancelAfter(QueueWait);
        try
        {
            var lease = await _limiter.AcquireAsync(1, wait.Token);
            if (lease.IsAcquired)
            {
                return lease;
            }

            lease.Dispose();
            return null;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
