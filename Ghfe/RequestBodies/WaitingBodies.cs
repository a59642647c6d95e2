using System.Buffers;
using System.IO.Pipelines;
using Ghfe.Observability;

namespace Ghfe.RequestBodies;

/// <summary>
/// What small bodies (<see cref="RawBody.SmallBody"/>) hold of Kestrel's pinned read-ahead while
/// they wait to arrive whole: one tally of the blocks under their unread bytes, with a cap. A body
/// whose arrival takes the tally past the cap cuts the body that has been waiting longest (its read
/// canceled, then its connection aborted), never the newcomer. GitHub sends a
/// delivery at once, so a real one waits for milliseconds and is never the oldest: cutting it
/// would take <see cref="Cap"/> of other incomplete bodies arriving in those milliseconds.
/// </summary>
public sealed class WaitingBodies(long cap)
{
    /// <summary>
    /// The Deployment's GC heap limit is 128 MiB (50% of 256 Mi), and Kestrel's pinned blocks count
    /// in it: 64 MiB go to the <see cref="BodyBudget"/>, about 30 MiB to the process at rest, so 32
    /// MiB (512 bodies one byte short of 64 KiB) is what is left for bodies that are not arriving.
    /// </summary>
    public const long Cap = 32L << 20;

    /// <summary>Kestrel's pinned pool hands out blocks of 4 KiB; a body's unread bytes hold whole blocks.</summary>
    private const int Block = 4096;

    private readonly Lock _gate = new();
    private readonly LinkedList<Body> _oldestFirst = new();
    private long _held;

    /// <summary>Bytes of Kestrel's read-ahead held now by small bodies still arriving.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>One body's place in the tally; disposing it (on every path) gives back what it holds.</summary>
    internal Body Enter(PipeReader reader) => new(this, reader);

    private void Hold(Body body, long bytes)
    {
        List<Body> cut = [];
        lock (_gate)
        {
            if (body.Cut)
            {
                return;
            }

            if (body.Node.List is null)
            {
                _oldestFirst.AddLast(body.Node);
            }

            Interlocked.Add(ref _held, bytes - body.Bytes);
            body.Bytes = bytes;
            while (_held > cap && _oldestFirst.First!.Value != body)
            {
                var oldest = _oldestFirst.First.Value;
                Remove(oldest);
                oldest.Cut = true;
                cut.Add(oldest);
            }
        }

        // Outside the lock: a canceled read may resume inline and come back here.
        foreach (var oldest in cut)
        {
            GhfeMetrics.BodiesCut.Inc();
            oldest.Reader.CancelPendingRead();
        }
    }

    private void Leave(Body body)
    {
        lock (_gate)
        {
            if (body.Node.List is not null)
            {
                Remove(body);
            }
        }
    }

    private void Remove(Body body)
    {
        _oldestFirst.Remove(body.Node);
        Interlocked.Add(ref _held, -body.Bytes);
        body.Bytes = 0;
    }

    internal sealed class Body : IDisposable
    {
        private readonly WaitingBodies _tally;

        public Body(WaitingBodies tally, PipeReader reader)
        {
            _tally = tally;
            Reader = reader;
            Node = new LinkedListNode<Body>(this);
        }

        public PipeReader Reader { get; }

        public LinkedListNode<Body> Node { get; }

        public long Bytes { get; set; }

        /// <summary>Cut to make room: its read is canceled, and it holds no place in the tally any more.</summary>
        public bool Cut { get; set; }

        /// <summary>Counts what <paramref name="unread"/> holds, after every read that left it incomplete.</summary>
        public void Holds(in ReadOnlySequence<byte> unread)
        {
            var blocks = 0L;
            foreach (var _ in unread)
            {
                blocks++;
            }

            _tally.Hold(this, blocks * Block);
        }

        public void Dispose() => _tally.Leave(this);
    }
}
