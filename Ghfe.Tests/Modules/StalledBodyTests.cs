using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ghfe.RequestBodies;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>
/// Issue 26: bodies that stop short of their Content-Length, or never start, hold their
/// connections; they are cut at the body's deadline and never make a signed delivery wait.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class StalledBodyTests(PostgresCluster cluster, ITestOutputHelper output) : GhfeOnFreshDatabase(cluster)
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task Signed_deliveries_are_answered_promptly_while_stalled_silent_and_trickling_bodies_hold_their_connections()
    {
        var port = Ghfe.Address.Port;
        var held = new Tally();
        var silent = new Tally();
        var trickled = new Tally();
        var sent = 0;
        using var stop = new CancellationTokenSource();
        void Sent() => Interlocked.Increment(ref sent);
        // 40 bodies of 1 MiB one byte short (each past a 16 MiB lane's share), 300 that declare
        // 64 KiB and send nothing, and 40 that declare 64 KiB and send 2 KiB a second (above
        // Kestrel's minimum rate).
        var holders = Enumerable.Range(0, 40).Select(_ => Task.Run(() => HoldAsync(port, MiB, MiB - 1, 0, held, Sent, stop.Token)))
            .Concat(Enumerable.Range(0, 300).Select(_ => Task.Run(() => HoldAsync(port, 64 * 1024, 0, 0, silent, Sent, stop.Token))))
            .Concat(Enumerable.Range(0, 40).Select(_ => Task.Run(() => HoldAsync(port, 64 * 1024, 0, 2048, trickled, Sent, stop.Token))))
            .ToList();
        for (var waited = 0; Volatile.Read(ref sent) < holders.Count && waited < 50; waited++)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"{Volatile.Read(ref sent)} of {holders.Count} holding connections had sent what they send");

        // Signed deliveries, one every 100 ms for 12 s: across the moment the first stalled bodies are cut and come back.
        var answers = new ConcurrentDictionary<long, (int Status, double Seconds)>();
        var sending = new List<Task>();
        for (var jobId = 93_000_000L; jobId < 93_000_120L; jobId++)
        {
            var id = jobId;
            sending.Add(Task.Run(async () => answers[id] = await TimedAnswer.OfAsync(() => Ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(id)))));
            await Task.Delay(100);
        }

        await Task.WhenAll(sending);
        await stop.CancelAsync();
        await Task.WhenAll(holders);

        var latencies = answers.Values.Select(answer => answer.Seconds).Order().ToList();
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        var statuses = answers.Values.GroupBy(answer => answer.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"signed: {string.Join(", ", statuses)}; p50 {latencies[latencies.Count / 2]:F3} s, p99 {p99:F3} s, max {latencies[^1]:F3} s");
        output.WriteLine($"1 MiB bodies one byte short, answers: {held}");
        output.WriteLine($"64 KiB bodies never sent, answers: {silent}");
        output.WriteLine($"64 KiB bodies trickled at 2 KiB/s, answers: {trickled}");
        Assert.All(answers.Values, answer => Assert.Equal(200, answer.Status));
        Assert.True(latencies[^1] < 3.0, $"slowest signed delivery {latencies[^1]:F3} s");
    }

    [Fact]
    public async Task A_body_that_stops_short_is_cut_with_408_within_its_deadline_and_its_connection_closed()
    {
        // Sent at once, both are far above Kestrel's minimum rate averaged over the body: only the deadline cuts them.
        var cuts = await Task.WhenAll(CutAsync(MiB), CutAsync(RawBody.SmallBody));

        foreach (var (declared, status, seconds, closedAfter) in cuts)
        {
            output.WriteLine($"declared {declared} bytes, sent one fewer: {status} after {seconds:F2} s (deadline {RawBody.Deadline.TotalSeconds} s), connection closed after {closedAfter:F2} s");
        }

        Assert.All(cuts, cut =>
        {
            Assert.Equal(408, cut.Status);
            Assert.InRange(cut.Seconds, RawBody.Deadline.TotalSeconds - 1, RawBody.Deadline.TotalSeconds + 3);
            // Kestrel reads on for up to 5 s after the answer (so that the client reads it rather than a reset), then closes.
            Assert.True(cut.ClosedAfter is not null, $"the connection of a {cut.Declared}-byte body stayed open after its 408");
        });
    }

    [Fact]
    public async Task Signed_deliveries_either_side_of_the_small_size_are_stored()
    {
        foreach (var (jobId, length) in new[] { (94_000_001L, RawBody.SmallBody), (94_000_002L, RawBody.SmallBody + 1) })
        {
            var body = Padded(jobId, length);
            var started = Stopwatch.GetTimestamp();
            var (status, text) = await Ghfe.DeliverAsync("workflow_job", body);
            output.WriteLine($"{body.Length} bytes: {status} {text} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F3} s");
            Assert.Equal((200, $"Job {jobId} stored."), (status, text));
        }
    }

    /// <summary>A queued delivery padded, in a field ghfe does not read, to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Padded(long jobId, int length)
    {
        var payload = Payloads.Queued();
        payload["workflow_job"]!["id"] = jobId;
        payload["padding"] = string.Empty;
        payload["padding"] = new string('x', length - Payloads.Serialize(payload).Length);
        return Payloads.Serialize(payload);
    }

    /// <summary>Declares <paramref name="declared"/> bytes, sends all but one: the answer, how long after the last byte it came, and when the connection then closed (null: not within the test's patience).</summary>
    private async Task<(int Declared, int Status, double Seconds, double? ClosedAfter)> CutAsync(int declared)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, Ghfe.Address.Port);
        await socket.SendAsync(Head(declared));
        await socket.SendAsync(new byte[declared - 1]);
        var started = Stopwatch.GetTimestamp();
        using var patience = new CancellationTokenSource(RawBody.Deadline + TimeSpan.FromSeconds(8));
        int status;
        try
        {
            status = await StatusAsync(socket, patience.Token);
        }
        catch (OperationCanceledException)
        {
            status = 0; // no answer at all
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var closed = await ClosedAsync(socket, patience.Token);
        return (declared, status, seconds, closed ? Stopwatch.GetElapsedTime(started).TotalSeconds : null);
    }

    /// <summary>
    /// Until stopped: connection after connection declaring <paramref name="declared"/> bytes, sending
    /// <paramref name="sent"/> of them at once, then <paramref name="perSecond"/> bytes a second until the answer.
    /// </summary>
    private static async Task HoldAsync(int port, int declared, int sent, int perSecond, Tally tally, Action sentFirst, CancellationToken stop)
    {
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, stop);
                await socket.SendAsync(Head(declared), SocketFlags.None, stop);
                await socket.SendAsync(new byte[sent], SocketFlags.None, stop);
                if (first)
                {
                    sentFirst();
                    first = false;
                }

                var answer = StatusAsync(socket, stop);
                try
                {
                    while (perSecond > 0 && !answer.IsCompleted)
                    {
                        await socket.SendAsync(new byte[perSecond], SocketFlags.None, stop);
                        await Task.WhenAny(answer, Task.Delay(1000, stop));
                    }
                }
                catch (SocketException)
                {
                    // cut mid-trickle: the answer may still be there to read
                }

                tally.Add(await answer);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                tally.Add(-1);
            }
        }
    }

    private static byte[] Head(int declared) => Encoding.ASCII.GetBytes(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: workflow_job\r\n"
        + $"X-Hub-Signature-256: sha256={new string('0', 64)}\r\nX-GitHub-Delivery: {Guid.NewGuid()}\r\n"
        + $"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n");

    /// <summary>The status of the answer on this connection; -1 if it closed or reset without one.</summary>
    private static async Task<int> StatusAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[12]; // "HTTP/1.1 408"
        var filled = 0;
        try
        {
            while (filled < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
                if (read == 0)
                {
                    return -1;
                }

                filled += read;
            }
        }
        catch (SocketException)
        {
            return -1;
        }

        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), CultureInfo.InvariantCulture);
    }

    /// <summary>True once the server closes the connection (after the rest of its answer), false if it stays open.</summary>
    private static async Task<bool> ClosedAsync(Socket socket, CancellationToken patience)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, patience) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // reset: closed too
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed class Tally
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();

        public void Add(int status) => _counts.AddOrUpdate(status, 1, (_, count) => count + 1);

        /// <summary>"408: 40, closed without answer: 2"</summary>
        public override string ToString() => _counts.IsEmpty ? "none (all still held)"
            : string.Join(", ", _counts.OrderBy(pair => pair.Key).Select(pair => $"{(pair.Key < 0 ? "closed without answer" : pair.Key.ToString(CultureInfo.InvariantCulture))}: {pair.Value}"));
    }
}
