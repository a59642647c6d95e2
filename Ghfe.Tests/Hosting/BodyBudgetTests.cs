using Ghfe.Hosting;
using Ghfe.Webhook;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ghfe.Tests.Hosting;

/// <summary>The budget's accounting: what bodies hold, when it goes back, and who is refused.</summary>
public sealed class BodyBudgetTests : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly BodyBudget _budget = new(smallBytes: 1 * MiB, largeBytes: 8 * MiB, smallWait: TimeSpan.FromMilliseconds(200));

    public void Dispose() => _budget.Dispose();

    private Task<Either<Rejection, ReadOnlyMemory<byte>>> ReadAsync(Request request, BodyBudget? budget = null, CancellationToken cancellationToken = default) =>
        RawBody.ReadAsync(request.Http.Request, budget ?? _budget, cancellationToken);

    private static Rejection? Refusal(Either<Rejection, ReadOnlyMemory<byte>> body) => body.Match(Right: _ => (Rejection?)null, Left: r => r);

    [Fact]
    public async Task A_body_holds_its_buffer_until_the_response_completes_then_gives_it_back()
    {
        var request = Request.Sending(30_000);

        var body = await ReadAsync(request);

        Assert.Equal(30_000, body.Match(Right: bytes => bytes.Length, Left: _ => -1));
        Assert.Equal(32 * 1024, _budget.SmallHeld); // one chunk, of the body's size rounded up to a power of two
        Assert.Equal(0, _budget.LargeHeld);
        await request.CompleteAsync();
        Assert.Equal(0, _budget.SmallHeld);
    }

    [Fact]
    public async Task A_large_body_finding_no_room_is_refused_503_with_retry_after_and_connection_close_and_holds_nothing()
    {
        var first = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(first)).IsRight);
        var held = _budget.LargeHeld;
        Assert.Equal(3 * MiB, held); // grown to exactly what was declared, once it all arrived

        var second = Request.Sending(5 * MiB);
        var refused = await ReadAsync(second);

        var rejection = Refusal(refused);
        Assert.IsType<Rejection.NoRoomForBody>(rejection);
        Assert.Equal(503, rejection!.Status);
        Assert.Equal("5", second.Http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("close", second.Http.Response.Headers.Connection.ToString());
        Assert.Equal(held, _budget.LargeHeld); // what the refused body had taken went back at once

        await first.CompleteAsync();
        await second.CompleteAsync();
        Assert.Equal(0, _budget.LargeHeld);
        var third = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(third)).IsRight);
        await third.CompleteAsync();
    }

    [Fact]
    public async Task A_small_body_never_waits_behind_large_ones()
    {
        var large = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(large)).IsRight);
        var refused = Request.Sending(5 * MiB);
        Assert.True((await ReadAsync(refused)).IsLeft); // the large lane is spent

        var small = Request.Sending(20_000);
        var started = DateTime.UtcNow;
        Assert.True((await ReadAsync(small)).IsRight);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMilliseconds(150));

        await large.CompleteAsync();
        await refused.CompleteAsync();
        await small.CompleteAsync();
    }

    [Fact]
    public async Task A_small_body_waits_briefly_for_room_in_its_lane_then_is_refused()
    {
        var holding = new List<Request>();
        for (var i = 0; i < 3; i++)
        {
            var request = Request.Sending(200_000); // 196 KiB each once whole: 588 of 1024 KiB
            Assert.True((await ReadAsync(request)).IsRight);
            holding.Add(request);
        }

        // Its chunks (256 KiB) and then its whole copy (244 KiB) need 500 KiB at once: no room.
        var waiting = Request.Sending(250_000);
        var refused = await ReadAsync(waiting);
        Assert.IsType<Rejection.NoRoomForBody>(Refusal(refused));

        // Room comes back while a small body waits: it gets it.
        var patient = Request.Sending(250_000);
        Assert.Equal(3 * 49 * BodyBudget.Unit, _budget.SmallHeld);
        var reading = ReadAsync(patient);
        await holding[0].CompleteAsync();
        Assert.True((await reading).IsRight);

        foreach (var request in holding.Skip(1).Append(waiting).Append(patient))
        {
            await request.CompleteAsync();
        }

        Assert.Equal(0, _budget.SmallHeld);
    }

    [Fact]
    public async Task An_abandoned_request_gives_everything_back_once_completed_even_twice()
    {
        // The handler read the body, then failed before using it: nothing but the response's end returns it.
        var request = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(request)).IsRight);
        Assert.Equal(3 * MiB, _budget.LargeHeld);

        await request.CompleteAsync();
        await request.CompleteAsync();

        Assert.Equal(0, _budget.LargeHeld);
        Assert.Equal(0, _budget.SmallHeld);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_body_gets_its_memory_returned_at_once()
    {
        var request = new Request(new Dropping(2 * MiB), 20 * MiB);

        var body = await ReadAsync(request);

        Assert.IsType<Rejection.IncompleteBody>(Refusal(body));
        Assert.Equal(0, _budget.LargeHeld); // before the response completes
        await request.CompleteAsync();
        Assert.Equal(0, _budget.LargeHeld);
    }

    [Fact]
    public async Task A_trickling_client_holds_only_what_it_sent_not_what_it_declared()
    {
        var trickle = new Trickle();
        var request = new Request(trickle, 26_000_000);
        using var cancel = new CancellationTokenSource();

        var reading = ReadAsync(request, cancellationToken: cancel.Token);
        await trickle.Sent.Task;
        Assert.InRange(_budget.LargeHeld, 1, 4096); // it sent 1 KiB

        await cancel.CancelAsync();
        Assert.IsType<Rejection.IncompleteBody>(Refusal(await reading));
        Assert.Equal(0, _budget.LargeHeld);
        await request.CompleteAsync();
    }

    [Fact]
    public async Task Small_bodies_that_trickle_cannot_fill_the_small_lane_against_a_real_delivery()
    {
        // Each declares 1 MiB (a "small" body) and sends 1 KiB: it holds 4 KiB, not a 64 KiB chunk,
        // so the 1 MiB lane still has room for a real delivery alongside 200 of them.
        using var cancel = new CancellationTokenSource();
        var readings = new List<Task<Either<Rejection, ReadOnlyMemory<byte>>>>();
        foreach (var trickle in Enumerable.Range(0, 200).Select(_ => new Trickle()))
        {
            readings.Add(ReadAsync(new Request(trickle, 1 * MiB), cancellationToken: cancel.Token));
            await trickle.Sent.Task;
        }

        Assert.InRange(_budget.SmallHeld, 1, 200 * 4096);
        var delivery = Request.Sending(20_000);
        Assert.Equal(20_000, (await ReadAsync(delivery)).Match(Right: bytes => bytes.Length, Left: _ => -1));

        await cancel.CancelAsync();
        await Task.WhenAll(readings);
        await delivery.CompleteAsync();
    }

    [Fact]
    public async Task A_body_shorter_than_declared_is_incomplete_and_a_chunked_one_past_the_limit_too_large()
    {
        var short_ = new Request(new MemoryStream(new byte[10]), 20 * MiB);
        Assert.IsType<Rejection.IncompleteBody>(Refusal(await ReadAsync(short_)));

        var declaredTooLarge = new Request(new MemoryStream([]), RawBody.Limit + 1);
        Assert.IsType<Rejection.TooLarge>(Refusal(await ReadAsync(declaredTooLarge)));

        using var roomy = new BodyBudget(1 * MiB, 64 * MiB, TimeSpan.Zero);
        var chunked = new Request(new MemoryStream(new byte[RawBody.Limit + 1]), null);
        Assert.IsType<Rejection.TooLarge>(Refusal(await ReadAsync(chunked, roomy)));
        Assert.Equal(0, roomy.LargeHeld);
        Assert.Equal(0, _budget.LargeHeld + _budget.SmallHeld);
    }

    [Fact]
    public async Task A_body_at_the_limit_fits_the_shipped_budget_when_nothing_else_holds_it()
    {
        using var shipped = BodyBudget.Default();
        var request = Request.Sending(RawBody.Limit);

        var body = await ReadAsync(request, shipped);

        Assert.Equal(RawBody.Limit, body.Match(Right: bytes => bytes.Length, Left: _ => -1));
        Assert.Equal(RawBody.Limit, shipped.LargeHeld);
        await request.CompleteAsync();
        Assert.Equal(0, shipped.LargeHeld);
    }

    /// <summary>A request whose response can be completed, running what was registered for it, as Kestrel does.</summary>
    private sealed class Request
    {
        private readonly Completing _response = new();

        public Request(Stream body, long? length)
        {
            Http = new DefaultHttpContext();
            Http.Features.Set<IHttpResponseFeature>(_response);
            Http.Request.Body = body;
            Http.Request.ContentLength = length;
        }

        public DefaultHttpContext Http { get; }

        /// <summary>A body of <paramref name="length"/> bytes that declares just that.</summary>
        public static Request Sending(long length) => new(new MemoryStream(new byte[length]), length);

        public Task CompleteAsync() => _response.CompleteAsync();
    }

    private sealed class Completing : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task CompleteAsync()
        {
            foreach (var (callback, state) in _completed)
            {
                await callback(state);
            }
        }
    }

    /// <summary>Sends some bytes, then the connection drops.</summary>
    private sealed class Dropping(int before) : Stream
    {
        private int _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent >= before)
            {
                throw new IOException("Connection reset by peer");
            }

            var count = Math.Min(buffer.Length, Math.Min(64 * 1024, before - _sent));
            _sent += count;
            return ValueTask.FromResult(count);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Sends 1 KiB, then nothing more until cancelled.</summary>
    private sealed class Trickle : Stream
    {
        private bool _sent;

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                return 1024;
            }

            Sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
