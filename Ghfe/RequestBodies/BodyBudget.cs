using System.Threading.RateLimiting;

namespace Ghfe.RequestBodies;

/// <summary>
/// How much memory bodies larger than a delivery (<see cref="RawBody.SmallBody"/>) may hold at
/// once before their signature is checked: a <see cref="ConcurrencyLimiter"/> whose permits are
/// bytes of buffer, taken as a body's buffer grows with what actually arrived, never for what it
/// only declared. A body finding no room is refused at once, never queued: waiting would let
/// bodies that do not arrive hold the door for the ones that do. Small bodies still arriving are
/// tallied apart, in <see cref="Waiting"/>.
/// </summary>
public sealed class BodyBudget : IDisposable
{
    /// <summary>Once this much went through the budget, the next quiet moment hands it back to the system.</summary>
    private const long CollectAfter = 32L << 20;

    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(5);

    private readonly int _permits;
    private readonly ConcurrencyLimiter _limiter;
    private readonly Timer _collector;
    private long _taken;

    public BodyBudget(long bytes, long waiting = WaitingBodies.Cap)
    {
        _permits = (int)bytes;
        Waiting = new WaitingBodies(waiting);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = _permits, QueueLimit = 0 });
        _collector = new Timer(_ => CollectWhenQuiet(), null, LookEvery, LookEvery);
    }

    /// <summary>
    /// The shipped budget (docs/security.md, "Bodies nobody signed"): 64 MiB, so that a body at the 25 MiB limit fits
    /// while it moves into its last buffer (16 MiB full and 25 MiB new, 41 MiB at once).
    /// </summary>
    public static BodyBudget Default() => new(64L << 20);

    /// <summary>What small bodies still arriving hold of Kestrel's read-ahead, and the cap that cuts the oldest of them.</summary>
    public WaitingBodies Waiting { get; }

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
            Interlocked.Add(ref _taken, size);
            return lease;
        }

        lease.Dispose();
        return null;
    }

    public void Dispose()
    {
        _collector.Dispose();
        _limiter.Dispose();
    }

    /// <summary>
    /// An idle process runs no collection, so what a flood of large bodies left in the heap stays
    /// taken from the node, more than twice the baseline after FloodTests' flood (bench/README.md).
    /// Once 32 MiB went through and no body holds any, one compacting collection hands it back.
    /// </summary>
    private void CollectWhenQuiet()
    {
        try
        {
            if (Interlocked.Read(ref _taken) >= CollectAfter && Held == 0)
            {
                Interlocked.Exchange(ref _taken, 0);
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }
        catch (ObjectDisposedException)
        {
            // disposed while the timer fired: nothing to hand back
        }
    }
}
