using Ghfe.RequestBodies;
using Ghfe.Webhook;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ghfe.Tests.RequestBodies;

/// <summary>The budget's accounting: what bodies hold, when it goes back, and who is refused.</summary>
public sealed class BodyBudgetTests : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly BodyBudget _budget = new(8 * MiB);

    public void Dispose() => _budget.Dispose();

    private Task<Either<Rejection, ReadOnlyMemory<byte>>> ReadAsync(Request request, BodyBudget? budget = null, CancellationToken cancellationToken = default) =>
        RawBody.ReadAsync(request.Http.Request, budget ?? _budget, cancellationToken);

    private static Rejection? Refusal(Either<Rejection, ReadOnlyMemory<byte>> body) => body.Match(Right: _ => (Rejection?)null, Left: r => r);

    private static int Length(Either<Rejection, ReadOnlyMemory<byte>> body) => body.Match(Right: bytes => bytes.Length, Left: _ => -1);

    [Fact]
    public async Task A_large_body_holds_its_buffer_until_the_response_completes_then_gives_it_back()
    {
        var request = Request.Sending(3 * MiB);

        var body = await ReadAsync(request);

        Assert.Equal(3 * MiB, Length(body));
        Assert.Equal(3 * MiB, _budget.Held); // grown to exactly what was declared, once it all arrived
        await request.CompleteAsync();
        Assert.Equal(0, _budget.Held);
    }

    [Fact]
    public async Task A_large_body_finding_no_room_is_refused_503_with_retry_after_and_connection_close_and_holds_nothing()
    {
        var first = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(first)).IsRight);

        // At 2 MiB it needs 4 MiB more while it moves: 3 + 2 + 4 is past 8.
        var second = Request.Sending(5 * MiB);
        var refused = await ReadAsync(second);

        var rejection = Refusal(refused);
        Assert.IsType<Rejection.NoRoomForBody>(rejection);
        Assert.Equal(503, rejection!.Status);
        Assert.Equal(5, rejection.RetryAfter); // the edge sets Retry-After and Connection: close from these
        Assert.True(rejection.ClosesConnection);
        Assert.Equal(3 * MiB, _budget.Held); // what the refused body had taken went back at once

        await first.CompleteAsync();
        await second.CompleteAsync();
        Assert.Equal(0, _budget.Held);
        var third = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(third)).IsRight);
        await third.CompleteAsync();
    }

    [Fact]
    public async Task A_small_body_takes_nothing_from_the_budget_and_is_read_when_it_is_spent()
    {
        var large = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(large)).IsRight);
        var refused = Request.Sending(5 * MiB);
        Assert.True((await ReadAsync(refused)).IsLeft); // the budget is spent

        var small = Request.Sending(RawBody.SmallBody);
        var started = DateTime.UtcNow;
        Assert.Equal(RawBody.SmallBody, Length(await ReadAsync(small)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMilliseconds(150));
        Assert.Equal(3 * MiB, _budget.Held);

        await large.CompleteAsync();
        await refused.CompleteAsync();
        await small.CompleteAsync();
    }

    [Fact]
    public async Task An_abandoned_request_gives_everything_back_once_completed_even_twice()
    {
        // The handler read the body, then failed before using it: nothing but the response's end returns it.
        var request = Request.Sending(3 * MiB);
        Assert.True((await ReadAsync(request)).IsRight);
        Assert.Equal(3 * MiB, _budget.Held);

        await request.CompleteAsync();
        await request.CompleteAsync();

        Assert.Equal(0, _budget.Held);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_body_gets_its_memory_returned_at_once()
    {
        var request = new Request(new Dropping(2 * MiB), 20 * MiB);

        var body = await ReadAsync(request);

        Assert.IsType<Rejection.IncompleteBody>(Refusal(body));
        Assert.Equal(0, _budget.Held); // before the response completes
        await request.CompleteAsync();
        Assert.Equal(0, _budget.Held);
    }

    [Fact]
    public async Task A_trickling_client_holds_only_what_it_sent_not_what_it_declared()
    {
        var trickle = new Trickle();
        var request = new Request(trickle, 26_000_000);
        using var cancel = new CancellationTokenSource();

        var reading = ReadAsync(request, cancellationToken: cancel.Token);
        await trickle.Sent.Task;
        Assert.InRange(_budget.Held, 1, 4096); // it sent 1 KiB

        await cancel.CancelAsync();
        Assert.IsType<Rejection.IncompleteBody>(Refusal(await reading));
        Assert.Equal(0, _budget.Held);
        await request.CompleteAsync();
    }

    [Fact]
    public async Task Bodies_that_stop_short_cannot_spend_the_budget_against_a_real_delivery()
    {
        // 200 declare a delivery's size and send 1 KiB: they hold none of the budget. 200 declare
        // 1 MiB and send 1 KiB: 4 KiB each. A real delivery is read alongside them all.
        using var cancel = new CancellationTokenSource();
        var readings = new List<Task<Either<Rejection, ReadOnlyMemory<byte>>>>();
        foreach (var trickle in Enumerable.Range(0, 200).Select(_ => new Trickle()))
        {
            readings.Add(ReadAsync(new Request(trickle, RawBody.SmallBody), cancellationToken: cancel.Token));
            await trickle.Sent.Task;
        }

        Assert.Equal(0, _budget.Held);
        foreach (var trickle in Enumerable.Range(0, 200).Select(_ => new Trickle()))
        {
            readings.Add(ReadAsync(new Request(trickle, 1 * MiB), cancellationToken: cancel.Token));
            await trickle.Sent.Task;
        }

        Assert.Equal(200 * 4096, _budget.Held);
        var delivery = Request.Sending(20_000);
        Assert.Equal(20_000, Length(await ReadAsync(delivery)));

        await cancel.CancelAsync();
        Assert.All(await Task.WhenAll(readings), reading => Assert.IsType<Rejection.IncompleteBody>(Refusal(reading)));
        Assert.Equal(0, _budget.Held);
        await delivery.CompleteAsync();
    }

    [Fact]
    public async Task Small_bodies_past_the_waiting_cap_cut_the_one_waiting_longest_never_the_newcomer_and_give_everything_back()
    {
        // Each sends 1 KiB of a delivery's size and stalls: one 4 KiB block of read-ahead each; the cap holds three.
        using var budget = new BodyBudget(8 * MiB, waiting: 3 * 4096);
        using var cancel = new CancellationTokenSource();
        var readings = new List<Task<Either<Rejection, ReadOnlyMemory<byte>>>>();
        foreach (var trickle in Enumerable.Range(0, 4).Select(_ => new Trickle()))
        {
            readings.Add(ReadAsync(new Request(trickle, RawBody.SmallBody), budget, cancel.Token));
            await trickle.Sent.Task;
        }

        var oldest = Refusal(await readings[0].WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.IsType<Rejection.IncompleteBody>(oldest);
        Assert.Equal(408, oldest!.Status);
        Assert.All(readings.Skip(1), reading => Assert.False(reading.IsCompleted));
        Assert.Equal(3 * 4096, budget.Waiting.Held);

        // A whole small body passes through the tally and leaves nothing in it.
        var delivery = Request.Sending(RawBody.SmallBody);
        Assert.Equal(RawBody.SmallBody, Length(await ReadAsync(delivery, budget)));

        await cancel.CancelAsync();
        Assert.All(await Task.WhenAll(readings), reading => Assert.IsType<Rejection.IncompleteBody>(Refusal(reading)));
        Assert.Equal(0, budget.Waiting.Held);
        await delivery.CompleteAsync();
    }

    [Fact]
    public async Task A_body_shorter_than_declared_is_incomplete_and_a_chunked_one_past_the_limit_too_large()
    {
        var shortSmall = new Request(new MemoryStream(new byte[10]), 1000);
        Assert.IsType<Rejection.IncompleteBody>(Refusal(await ReadAsync(shortSmall)));

        var shortLarge = new Request(new MemoryStream(new byte[10]), 20 * MiB);
        Assert.IsType<Rejection.IncompleteBody>(Refusal(await ReadAsync(shortLarge)));

        var declaredTooLarge = new Request(new MemoryStream([]), RawBody.Limit + 1);
        Assert.IsType<Rejection.TooLarge>(Refusal(await ReadAsync(declaredTooLarge)));

        using var roomy = new BodyBudget(64 * MiB);
        var chunked = new Request(new MemoryStream(new byte[RawBody.Limit + 1]), null);
        Assert.IsType<Rejection.TooLarge>(Refusal(await ReadAsync(chunked, roomy)));
        Assert.Equal(0, roomy.Held);
        Assert.Equal(0, _budget.Held);
    }

    [Fact]
    public async Task A_body_at_the_limit_fits_the_shipped_budget_when_nothing_else_holds_it()
    {
        using var shipped = BodyBudget.Default();
        var request = Request.Sending(RawBody.Limit);

        var body = await ReadAsync(request, shipped);

        Assert.Equal(RawBody.Limit, Length(body));
        Assert.Equal(RawBody.Limit, shipped.Held);
        await request.CompleteAsync();
        Assert.Equal(0, shipped.Held);
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
                // A zero-byte read (the body reader's wait for data) is told that data is there.
                _sent = !buffer.IsEmpty;
                return Math.Min(1024, buffer.Length);
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
