using System.Buffers;
using System.IO.Pipelines;
using System.Threading.RateLimiting;

namespace Ghfe.RequestBodies;

/// <summary>
/// One request's body, in one array. A body of a delivery's size (<see cref="RawBody.SmallBody"/>)
/// is copied out of Kestrel's buffer once it has all arrived, counted meanwhile in
/// <see cref="BodyBudget.Waiting"/>. A larger one is
/// read into an array that grows with what has arrived (4 KiB first, then twice what has arrived,
/// never past what the body declared), each array paid for in the <see cref="BodyBudget"/> before
/// it is taken: it holds at most twice what it has sent (three times while it moves to a larger
/// array), never what it only declared. Disposed — the permits back to the budget — when the
/// response is complete, or at once when the body is refused.
/// </summary>
internal sealed class BodyBuffer(BodyBudget budget) : IDisposable
{
    private byte[] _array = [];
    private RateLimitLease? _lease;
    private int _length;

    internal enum Fill
    {
        Complete,
        NoRoom,
        TooLarge,
        Incomplete,
        Canceled,
        Cut,
    }

    /// <summary>The body, once <see cref="FillAsync"/> said <see cref="Fill.Complete"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    /// <summary>
    /// Reads the whole body; stops as soon as there is no room for more of it, or when the read is
    /// canceled (<see cref="PipeReader.CancelPendingRead"/>). Every read is advanced past before
    /// this returns, so that Kestrel can still drain what the client sends after a refusal.
    /// </summary>
    public async ValueTask<Fill> FillAsync(PipeReader body, long? declared, long limit)
    {
        if (declared is { } small and <= RawBody.SmallBody)
        {
            return await WholeAsync(body, (int)small);
        }

        var most = declared ?? limit;
        while (true)
        {
            var read = await body.ReadAsync();
            var buffer = read.Buffer;
            var fill = read.IsCanceled ? Fill.Canceled : Take(buffer, most);
            body.AdvanceTo(buffer.End);
            if (fill is not null)
            {
                return fill.Value;
            }

            if (read.IsCompleted)
            {
                return _length < declared ? Fill.Incomplete : Fill.Complete;
            }
        }
    }

    /// <summary>
    /// Waits until all <paramref name="length"/> bytes are in the reader's buffer, then copies them
    /// out; meanwhile what they hold of Kestrel's read-ahead is counted in <see cref="BodyBudget.Waiting"/>,
    /// which cancels the read of the one waiting longest past its cap.
    /// </summary>
    private async ValueTask<Fill> WholeAsync(PipeReader body, int length)
    {
        using var waiting = budget.Waiting.Enter(body);
        while (true)
        {
            var read = await body.ReadAsync();
            var buffer = read.Buffer;
            if (buffer.Length >= length)
            {
                (_array, _length) = (buffer.Slice(0, length).ToArray(), length);
                body.AdvanceTo(buffer.GetPosition(length));
                return Fill.Complete;
            }

            if (read.IsCanceled || read.IsCompleted)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                return !read.IsCanceled ? Fill.Incomplete : waiting.Cut ? Fill.Cut : Fill.Canceled;
            }

            // Nothing consumed, everything seen: the next read waits for more bytes.
            waiting.Holds(buffer);
            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Copies what arrived, growing the array as it goes; null when all of it was taken and the body may go on.</summary>
    private Fill? Take(ReadOnlySequence<byte> arrived, long most)
    {
        while (!arrived.IsEmpty)
        {
            if (_length == _array.Length)
            {
                if (_length == most)
                {
                    return Fill.TooLarge; // more than the limit, or than it declared
                }

                if (!Grow(most))
                {
                    return Fill.NoRoom;
                }
            }

            var count = (int)Math.Min(arrived.Length, _array.Length - _length);
            arrived.Slice(0, count).CopyTo(_array.AsSpan(_length));
            arrived = arrived.Slice(count);
            _length += count;
        }

        return null;
    }

    private bool Grow(long most)
    {
        var size = (int)Math.Min(most, Math.Max(4096, 2L * _length));
        var lease = budget.TryTake(size);
        if (lease is null)
        {
            return false;
        }

        byte[] array;
        try
        {
            array = GC.AllocateUninitializedArray<byte>(size);
        }
        catch (OutOfMemoryException)
        {
            // The GC's heap limit (the Deployment's) can refuse a large array within the budget
            // while a flood's garbage is not yet collected: no room now, as for the budget.
            lease.Dispose();
            return false;
        }

        _array.AsSpan(0, _length).CopyTo(array);
        _lease?.Dispose();
        (_array, _lease) = (array, lease);
        return true;
    }

    public void Dispose()
    {
        _lease?.Dispose();
        _lease = null;
        _array = [];
        _length = 0;
    }
}
