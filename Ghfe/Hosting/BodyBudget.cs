using System.Buffers;
using System.Threading.RateLimiting;

namespace Ghfe.Hosting;

/// <summary>
/// How much memory request bodies may hold at once, before (and while) their signature is
/// checked. Two lanes, so that GitHub's deliveries (5–30 KB) never wait behind large bodies:
/// bodies that declare at most <see cref="SmallBody"/> bytes draw on the small lane and may
/// wait a moment for room; larger ones (and those without a Content-Length) draw on the large
/// lane and are refused at once when it is spent. Each lane is a <see cref="ConcurrencyLimiter"/>
/// whose permits are <see cref="Unit"/>-byte pieces of buffer; a body takes permits as its
/// buffer grows with the bytes that actually arrived, never for what it only declared.
/// </summary>
public sealed class BodyBudget : IDisposable
{
    /// <summary>One permit: 4 KiB of buffer.</summary>
    public const int Unit = 4096;

    /// <summary>Bodies declaring at most this many bytes are small (real deliveries are 5–30 KB).</summary>
    public const int SmallBody = 1 << 20;

    /// <summary>Bodies arrive in pooled chunks of this size (under the GC's large-object threshold).</summary>
    internal const int Chunk = 64 * 1024;

    /// <summary>Once this much went back through the large lane and it fell quiet, the GC is asked to return it.</summary>
    private const long CollectAfter = 32L << 20;

    private static readonly TimeSpan CollectEvery = TimeSpan.FromSeconds(10);

    private readonly ConcurrencyLimiter _small;
    private readonly ConcurrencyLimiter _large;
    private readonly int _smallPermits;
    private readonly int _largePermits;
    private readonly TimeSpan _smallWait;
    private readonly Timer _collector;
    private readonly int _chunks;
    private ArrayPool<byte> _pool;
    private long _largeReleased;
    private DateTime _collected = DateTime.MinValue;

    /// <param name="smallBytes">The small lane's memory.</param>
    /// <param name="largeBytes">The large lane's memory (at least twice the body limit lets a body at the limit through).</param>
    /// <param name="smallWait">How long a small body may wait for room before it is refused.</param>
    public BodyBudget(long smallBytes, long largeBytes, TimeSpan smallWait)
    {
        _smallPermits = Permits(smallBytes);
        _largePermits = Permits(largeBytes);
        _smallWait = smallWait;
        _small = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _smallPermits,
            QueueLimit = _smallPermits,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _large = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = _largePermits, QueueLimit = 0 });
        _collector = new Timer(_ => Collect());
        _chunks = (int)((long)(_smallPermits + _largePermits) * Unit / Chunk);
        _pool = NewPool();
    }

    /// <summary>
    /// The shipped budget (README, "Deploying"): 16 MiB for small bodies, 64 MiB for large ones —
    /// a body at the 25 MiB limit holds its chunks and its whole copy at once, 50 MiB.
    /// </summary>
    public static BodyBudget Default() => new(16L << 20, 64L << 20, TimeSpan.FromSeconds(5));

    /// <summary>Bytes of buffer held now by bodies in the small lane.</summary>
    public long SmallHeld => Held(_small, _smallPermits);

    /// <summary>Bytes of buffer held now by bodies in the large lane.</summary>
    public long LargeHeld => Held(_large, _largePermits);

    /// <summary>
    /// Where chunks come from: the budget's own pool, not <see cref="ArrayPool{T}.Shared"/> (which
    /// keeps arrays per core and per thread, outside any budget). It keeps at most as many chunks
    /// as the budget allows at once, so that a flood recycles them instead of making garbage, and
    /// is replaced by an empty one when the large lane falls quiet.
    /// </summary>
    internal ArrayPool<byte> Pool => Volatile.Read(ref _pool);

    /// <summary>Which lane a body draws on, from the length it declares.</summary>
    internal static bool IsSmall(long? declared) => declared is { } length && length <= SmallBody;

    /// <summary>Permits for <paramref name="bytes"/> of buffer, or null when the lane has no room (the small lane waits a little first).</summary>
    internal async ValueTask<RateLimitLease?> AcquireAsync(bool small, int bytes, CancellationToken cancellationToken)
    {
        var permits = Permits(bytes);
        if (permits > (small ? _smallPermits : _largePermits))
        {
            return null; // more than the whole lane: never
        }

        RateLimitLease lease;
        if (small)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_smallWait);
            try
            {
                lease = await _small.AcquireAsync(permits, wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        else
        {
            lease = _large.AttemptAcquire(permits);
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        return null;
    }

    /// <summary>
    /// Large-lane buffers went back. An idle process runs no collection to hand memory back to the
    /// system: once 32 MiB went through the large lane, a second after it falls quiet (at most
    /// every 10 s), the pool's chunks are let go and one compacting collection returns them.
    /// </summary>
    internal void Released(bool small, int bytes)
    {
        if (!small && Interlocked.Add(ref _largeReleased, bytes) >= CollectAfter)
        {
            _collector.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _collector.Dispose();
        _small.Dispose();
        _large.Dispose();
    }

    private void Collect()
    {
        try
        {
            CollectWhenQuiet();
        }
        catch (ObjectDisposedException)
        {
            // the budget was disposed while the timer fired: nothing to hand back
        }
    }

    private void CollectWhenQuiet()
    {
        var since = DateTime.UtcNow - _collected;
        if (LargeHeld > 0 || since < CollectEvery)
        {
            // Still busy, or collected a moment ago: look again later; the GC collects on its own meanwhile.
            _collector.Change(LargeHeld > 0 ? TimeSpan.FromSeconds(1) : CollectEvery - since, Timeout.InfiniteTimeSpan);
            return;
        }

        Interlocked.Exchange(ref _largeReleased, 0);
        _collected = DateTime.UtcNow;
        Volatile.Write(ref _pool, NewPool());
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private ArrayPool<byte> NewPool() => ArrayPool<byte>.Create(Chunk, maxArraysPerBucket: _chunks);

    private static long Held(ConcurrencyLimiter lane, int permits) =>
        (long)(permits - lane.GetStatistics()!.CurrentAvailablePermits) * Unit;

    private static int Permits(long bytes) => (int)Math.Max(1, (bytes + Unit - 1) / Unit);
}

/// <summary>
/// One request's body. Its bytes arrive into pooled chunks, each paid for with permits of the
/// <see cref="BodyBudget"/> before it is taken, so a body holds what it sent, never what it
/// declared; a body of one chunk (every real delivery) is used in place, a longer one is copied
/// once complete into one array of its exact length (paid for first too). Disposed — chunks back
/// to the pool, permits back to the budget — when the response is complete, or at once when the
/// body is refused.
/// </summary>
internal sealed class BodyBuffer(BodyBudget budget, long? declared) : IDisposable
{
    private readonly bool _small = BodyBudget.IsSmall(declared);
    private readonly Lock _gate = new();
    private readonly List<(byte[] Array, RateLimitLease Lease)> _chunks = [];
    private (byte[] Array, RateLimitLease Lease)? _whole;
    private int _length;
    private int _lastUsed;
    private bool _disposed;

    internal enum Fill
    {
        Complete,
        NoRoom,
        TooLarge,
        Incomplete,
    }

    /// <summary>The body, once <see cref="FillAsync"/> said <see cref="Fill.Complete"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _whole is { } whole ? whole.Array.AsMemory(0, _length)
        : _chunks.Count == 1 ? _chunks[0].Array.AsMemory(0, _length)
        : ReadOnlyMemory<byte>.Empty;

    /// <summary>Reads the whole body; stops as soon as there is no room for the next piece of it.</summary>
    public async ValueTask<Fill> FillAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_chunks.Count == 0 || _lastUsed == _chunks[^1].Array.Length)
            {
                if (_length == declared)
                {
                    break;
                }

                if (!await TakeAsync(NextChunk(), whole: false, cancellationToken))
                {
                    return _disposed ? Fill.Incomplete : Fill.NoRoom;
                }
            }

            var read = await body.ReadAsync(_chunks[^1].Array.AsMemory(_lastUsed), cancellationToken);
            if (read == 0)
            {
                if (declared is { } length && _length < length)
                {
                    return Fill.Incomplete;
                }

                break;
            }

            _length += read;
            _lastUsed += read;
            if (_length > limit)
            {
                return Fill.TooLarge;
            }
        }

        if (_chunks.Count <= 1)
        {
            return Fill.Complete;
        }

        return await TakeAsync(_length, whole: true, cancellationToken) ? Fill.Complete : _disposed ? Fill.Incomplete : Fill.NoRoom;
    }

    /// <summary>
    /// The next chunk's size, a power of two from 4 KiB to <see cref="BodyBudget.Chunk"/>: what the rest
    /// of a declared body needs when that fits one chunk (a real delivery: one chunk of its size, never
    /// copied); else as much as has arrived so far, so that a body — a trickle that declares a lot
    /// most of all — never holds more than twice what it has sent.
    /// </summary>
    private int NextChunk()
    {
        var wanted = declared is { } length && length - _length <= BodyBudget.Chunk ? length - _length : _length;
        return (int)Math.Min(BodyBudget.Chunk, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(4096, wanted)));
    }

    /// <summary>Pays for <paramref name="size"/> bytes, then takes a chunk, or the whole body's copy (chunks go back).</summary>
    private async ValueTask<bool> TakeAsync(int size, bool whole, CancellationToken cancellationToken)
    {
        var lease = await budget.AcquireAsync(_small, size, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        var array = whole ? GC.AllocateUninitializedArray<byte>(size) : budget.Pool.Rent(size);
        lock (_gate)
        {
            if (_disposed)
            {
                // The request ended while this waited for room: give it all back.
                Return(array, lease, pooled: !whole);
                return false;
            }

            if (!whole)
            {
                _chunks.Add((array, lease));
                _lastUsed = 0;
                return true;
            }

            var at = 0;
            foreach (var (chunk, chunkLease) in _chunks)
            {
                var count = Math.Min(chunk.Length, _length - at);
                chunk.AsSpan(0, count).CopyTo(array.AsSpan(at));
                at += count;
                Return(chunk, chunkLease, pooled: true);
            }

            _chunks.Clear();
            _whole = (array, lease);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var (chunk, lease) in _chunks)
            {
                Return(chunk, lease, pooled: true);
            }

            _chunks.Clear();
            if (_whole is { } whole)
            {
                Return(whole.Array, whole.Lease, pooled: false);
                _whole = null;
            }
        }
    }

    private void Return(byte[] array, RateLimitLease lease, bool pooled)
    {
        if (pooled)
        {
            budget.Pool.Return(array);
        }

        lease.Dispose();
        budget.Released(_small, array.Length);
    }
}
