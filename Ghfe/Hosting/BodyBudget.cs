using System.Threading.RateLimiting;

namespace Ghfe.Hosting;

/// <summary>
/// How much memory bodies larger than a delivery (<see cref="RawBody.SmallBody"/>) may hold at
/// once before their signature is checked: a <see cref="ConcurrencyLimiter"/> whose permits are
/// bytes of buffer, taken as a body's buffer grows with what actually arrived, never for what it
/// only declared. A body finding no room is refused at once, never queued: waiting would let
/// bodies that do not arrive hold the door for the ones that do.
/// </summary>
public sealed class BodyBudget(long bytes) : IDisposable
{
    private readonly int _permits = (int)bytes;

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions { PermitLimit = (int)bytes, QueueLimit = 0 });

    /// <summary>
    /// The shipped budget (README, "Deploying"): 64 MiB, so that a body at the 25 MiB limit fits
    /// while it moves into its last buffer (16 MiB full and 25 MiB new, 41 MiB at once).
    /// </summary>
    public static BodyBudget Default() => new(64L << 20);

    /// <summary>Bytes of buffer held now by bodies.</summary>
    public long Held => _permits - _limiter.GetStatistics()!.CurrentAvailablePermits;

    /// <summary>A lease on <paramref name="size"/> bytes, or null when there is no room for them now.</summary>
    internal RateLimitLease? TryTake(int size)
    {
        if (size > _permits)
        {
            return null; // more than the whole budget: never
        }

        var lease = _limiter.AttemptAcquire(size);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
