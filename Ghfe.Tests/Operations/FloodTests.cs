using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ghfe.RequestBodies;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Operations;

/// <summary>
/// Issue 17: anyone who knows the webhook URL can send bodies. A replica with the Deployment's
/// memory limit takes a 15 s flood of forged 24 MiB bodies and of 26 MB bodies trickled slowly,
/// and still answers GitHub's signed deliveries, promptly, without dying. Issue 26: the same
/// replica with 3,000 small bodies one byte short holding Kestrel's read-ahead.
/// </summary>
[Collection(FloodCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class FloodTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const int Forgers = 48;
    private const int Tricklers = 32;
    private const int ForgedLength = 24 << 20;
    private const int TrickledLength = 26_000_000;
    private const string Padding = "padding";
    private const string GcHeap = "dotnet_total_memory_bytes";
    private const string KestrelPool = "microsoft_aspnetcore_memorypool_aspnetcore_memory_pool_pooled{aspnetcore_memory_pool_owner=\"kestrel\"}";
    private const string Gen2Collections = "dotnet_collection_count_total{generation=\"2\"}";
    private const string WaitingBytes = "ghfe_waiting_body_bytes";
    private const string WaitingCut = "ghfe_waiting_bodies_cut_total";
    private const int Stallers = 3000;
    private static readonly TimeSpan Flood = TimeSpan.FromSeconds(15);
    private static readonly byte[] Chunk = new byte[64 * 1024];

    [Fact]
    public async Task A_flood_of_unsigned_bodies_leaves_signed_deliveries_answered_within_the_memory_limit()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var cage = MemoryCage.Create();
        await using var ghfe = await StartAsync(cage, database);
        var port = ghfe.Address.Port;

        // Warm up the signed path, then take the baseline.
        for (var i = 0; i < 20; i++)
        {
            await ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(90_000_000 + i));
        }

        await Task.Delay(1000);
        var baseline = cage.Current(ghfe.Id);

        var forged = new Tally();
        var trickled = new Tally();
        var signed = new ConcurrentDictionary<long, (int Status, double Seconds)>();
        using var stop = new CancellationTokenSource(Flood);
        var peakResident = 0L;
        var metricPeaks = new ConcurrentDictionary<string, double>();
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !ghfe.HasExited)
            {
                peakResident = Math.Max(peakResident, MemoryCage.Resident(ghfe.Id));
                foreach (var (name, value) in await MetricsAsync(ghfe))
                {
                    metricPeaks.AddOrUpdate(name, value, (_, seen) => Math.Max(seen, value));
                }

                await Task.Delay(300);
            }
        });
        var attackers = Enumerable.Range(0, Forgers).Select(_ => Task.Run(() => ForgeAsync(port, forged, stop.Token)))
            .Concat(Enumerable.Range(0, Tricklers).Select(_ => Task.Run(() => TrickleAsync(port, trickled, stop.Token))))
            .ToList();
        var deliveries = await SignedAsync(ghfe, signed, stop.Token);
        await Task.WhenAll(attackers);
        await watching;

        var alive = !ghfe.HasExited;
        var peak = cage.IsCgroup || alive ? cage.Peak(ghfe.Id) : 0;
        var after = 0L;
        for (var second = 0; alive && second < 8; second++)
        {
            await Task.Delay(1000);
            after = cage.Current(ghfe.Id);
            if (after < baseline + (32 << 20))
            {
                break;
            }
        }

        var collections = alive ? (await MetricsAsync(ghfe)).GetValueOrDefault(Gen2Collections) : double.NaN;
        var stored = (await Rows.JobsAsync(database)).Select(row => row.JobId).ToHashSet();
        var latencies = signed.Values.Select(answer => answer.Seconds).Order().ToList();
        var p99 = latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.99) - 1)];
        var signedTally = signed.Values.GroupBy(answer => answer.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"alive: {alive}; exit: {(alive ? "-" : "exited")}");
        output.WriteLine($"memory ({(cage.IsCgroup ? "cgroup usage" : "RssAnon; peak VmHWM")}): baseline {baseline >> 20} MiB, peak {peak >> 20} MiB, limit {cage.Limit >> 20} MiB, failcnt {cage.Failures}, after {after >> 20} MiB; sampled VmRSS peak {peakResident >> 20} MiB");
        output.WriteLine($"forged 24 MiB answers: {forged}");
        output.WriteLine($"trickled 26 MB answers: {trickled}");
        output.WriteLine($"signed: sent {deliveries}, answers {string.Join(", ", signedTally)}, stored {signed.Keys.Count(stored.Contains)}, p99 {p99:F3} s"
            + (latencies.Count == 0 ? string.Empty : $" (p50 {latencies[latencies.Count / 2]:F3} s, max {latencies[^1]:F3} s)"));
        output.WriteLine($"peaks from /metrics: GC heap {metricPeaks.GetValueOrDefault(GcHeap) / (1 << 20):F0} MiB, Kestrel's memory pool {metricPeaks.GetValueOrDefault(KestrelPool) / (1 << 20):F0} MiB; gen2 collections {collections} (after)");
        var failures = ghfe.Lines.Where(line => line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal)).ToList();
        foreach (var line in (alive ? failures : ghfe.Lines).TakeLast(5))
        {
            output.WriteLine(line.Length > 400 ? line[..400] : line);
        }

        Assert.True(alive, "ghfe died under the flood");
        Assert.Equal(deliveries, signed.Count);
        Assert.All(signed, answer => Assert.InRange(answer.Value.Status, 200, 299));
        Assert.All(signed.Keys, id => Assert.Contains(id, stored));
        Assert.True(p99 < 1.0, $"signed p99 {p99:F3} s");
        Assert.Equal(0, forged.Count(500) + trickled.Count(500));
        Assert.True(peak < cage.Limit && cage.Failures == 0, $"peak {peak} of {cage.Limit}, limit reached {cage.Failures} times");
        Assert.True(after < baseline + (32 << 20), $"memory {after >> 20} MiB after the flood, baseline {baseline >> 20} MiB");
    }

    [Fact]
    public async Task A_signed_20_MiB_delivery_is_stored_within_the_memory_limit_when_no_flood_is_on()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var cage = MemoryCage.Create();
        await using var ghfe = await StartAsync(cage, database);
        var payload = Payloads.Queued();
        payload["workflow_job"]!["id"] = 92_000_000L;
        payload[Padding] = new string('x', 20 << 20); // a field ghfe does not read
        var body = Payloads.Serialize(payload);

        var started = Stopwatch.GetTimestamp();
        var (status, text) = await ghfe.DeliverAsync("workflow_job", body);

        output.WriteLine($"{body.Length} bytes: {status} {text} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s; peak {cage.Peak(ghfe.Id) >> 20} MiB of {cage.Limit >> 20} MiB");
        Assert.Equal((200, "Job 92000000 stored."), (status, text));
        Assert.Single(await Rows.JobsAsync(database, jobId: 92_000_000));
        Assert.True(cage.Peak(ghfe.Id) < cage.Limit && cage.Failures == 0);
    }

    [Fact]
    public async Task Thousands_of_small_bodies_one_byte_short_are_cut_oldest_first_and_signed_deliveries_answered_within_the_memory_limit()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var cage = MemoryCage.Create();
        await using var ghfe = await StartAsync(cage, database);
        var port = ghfe.Address.Port;
        for (var i = 0; i < 20; i++)
        {
            await ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(95_000_000 + i));
        }

        // Each declares 64 KiB, sends all but one byte at once (far above Kestrel's minimum rate)
        // and holds: without a cap, each holds 64 KiB of Kestrel's pinned read-ahead until its deadline.
        var stalled = new Tally();
        var sockets = new ConcurrentBag<Socket>();
        var answers = new ConcurrentBag<Task>();
        var signed = new ConcurrentDictionary<long, (int Status, double Seconds)>();
        var metricPeaks = new ConcurrentDictionary<string, double>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !ghfe.HasExited)
            {
                foreach (var (name, value) in await MetricsAsync(ghfe))
                {
                    metricPeaks.AddOrUpdate(name, value, (_, seen) => Math.Max(seen, value));
                }

                await Task.Delay(300);
            }
        });
        var opening = Stopwatch.StartNew();
        var next = 0;
        var openers = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            var body = new byte[RawBody.SmallBody - 1];
            var header = Header(RawBody.SmallBody);
            while (Interlocked.Increment(ref next) <= Stallers && !stop.IsCancellationRequested)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, port, stop.Token);
                    await socket.SendAsync(header, SocketFlags.None, stop.Token);
                    await socket.SendAsync(body, SocketFlags.None, stop.Token);
                    answers.Add(Task.Run(async () => stalled.Add(await StatusAsync(socket, CancellationToken.None))));
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    stalled.Add(Tally.Unreachable);
                }
            }
        })).ToList();
        var sendingSigned = Task.Run(async () =>
        {
            var sending = new List<Task>();
            for (var jobId = 96_000_000L; !stop.IsCancellationRequested; jobId++)
            {
                var id = jobId;
                sending.Add(Task.Run(async () => signed[id] = await TimedAnswer.OfAsync(() => ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(id)))));
                await Task.Delay(100);
            }

            await Task.WhenAll(sending);
        });
        await Task.WhenAll(openers);
        var opened = opening.Elapsed.TotalSeconds;
        await sendingSigned;
        await watching;

        var alive = !ghfe.HasExited;
        var peak = cage.IsCgroup || alive ? cage.Peak(ghfe.Id) : 0;
        var cut = alive ? (await MetricsAsync(ghfe)).GetValueOrDefault(WaitingCut) : double.NaN;
        // Before the holders go away: what cutting bodies and the deadline logged.
        var failures = ghfe.Lines.Where(line => line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal)).ToList();
        foreach (var socket in sockets)
        {
            socket.Dispose(); // the answers not yet read end as "closed without answer"
        }

        await Task.WhenAll(answers);
        var stored = (await Rows.JobsAsync(database)).Select(row => row.JobId).ToHashSet();
        var latencies = signed.Values.Select(answer => answer.Seconds).Order().ToList();
        var p99 = latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.99) - 1)];
        var signedTally = signed.Values.GroupBy(answer => answer.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"alive: {alive}; {Stallers} bodies of {RawBody.SmallBody - 1} of {RawBody.SmallBody} bytes sent in {opened:F1} s");
        output.WriteLine($"memory ({(cage.IsCgroup ? "cgroup usage" : "VmHWM")}): peak {peak >> 20} MiB, limit {cage.Limit >> 20} MiB, failcnt {cage.Failures}");
        output.WriteLine($"waiting bodies: peak {metricPeaks.GetValueOrDefault(WaitingBytes) / (1 << 20):F1} MiB held (cap {WaitingBodies.Cap >> 20} MiB), {cut} cut; answers within the test: {stalled}");
        output.WriteLine($"peaks from /metrics: GC heap {metricPeaks.GetValueOrDefault(GcHeap) / (1 << 20):F0} MiB, Kestrel's memory pool {metricPeaks.GetValueOrDefault(KestrelPool) / (1 << 20):F0} MiB");
        output.WriteLine($"signed: {string.Join(", ", signedTally)}, stored {signed.Keys.Count(stored.Contains)} of {signed.Count}; p50 {latencies[latencies.Count / 2]:F3} s, p99 {p99:F3} s, max {latencies[^1]:F3} s");
        foreach (var line in (alive ? failures : ghfe.Lines).TakeLast(5))
        {
            output.WriteLine(line.Length > 2000 ? line[..2000] : line);
        }

        Assert.True(alive, "ghfe died under the stalled bodies");
        Assert.All(signed.Values, answer => Assert.Equal(200, answer.Status));
        Assert.All(signed.Keys, id => Assert.Contains(id, stored));
        Assert.True(latencies[^1] < 3.0, $"slowest signed delivery {latencies[^1]:F3} s");
        Assert.True(peak < cage.Limit && cage.Failures == 0, $"peak {peak} of {cage.Limit}, limit reached {cage.Failures} times");
        Assert.True(cut > 0, "no waiting body was cut");
        Assert.True(metricPeaks.GetValueOrDefault(WaitingBytes) <= WaitingBodies.Cap, $"waiting bodies held {metricPeaks.GetValueOrDefault(WaitingBytes)} bytes");
        Assert.Equal(0, stalled.Count(500));
        Assert.Empty(failures);
    }

    /// <summary>ghfe in the cage, with the Deployment's runtime settings.</summary>
    private async Task<GhfeProcess> StartAsync(MemoryCage cage, string database)
    {
        output.WriteLine(cage.Describe());
        return cage.Procs is { } procs
            ? await GhfeProcess.StartInCgroupAsync(database, procs, [.. cage.Environment])
            : await GhfeProcess.StartAsync(database, [.. cage.Environment]);
    }

    /// <summary>The few series of ghfe's /metrics that tell where memory went; empty if it does not answer.</summary>
    private static async Task<Dictionary<string, double>> MetricsAsync(GhfeProcess ghfe)
    {
        var values = new Dictionary<string, double>();
        try
        {
            foreach (var line in (await ghfe.Client.GetStringAsync("/metrics")).Split('\n'))
            {
                var space = line.LastIndexOf(' ');
                if (space > 0 && line[..space] is GcHeap or KestrelPool or Gen2Collections or WaitingBytes or WaitingCut
                    && double.TryParse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var value))
                {
                    values[line[..space]] = value;
                }
            }
        }
        catch (HttpRequestException)
        {
            // not answering (dead, or swamped): no figures this time
        }

        return values;
    }

    /// <summary>Signed queued deliveries at ~20/s until the flood ends; how many were sent.</summary>
    private static async Task<int> SignedAsync(GhfeProcess ghfe, ConcurrentDictionary<long, (int Status, double Seconds)> answers, CancellationToken stop)
    {
        var sending = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var id = 91_000_000L;
        while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            var jobId = id++;
            sending.Add(Task.Run(async () => answers[jobId] = await TimedAnswer.OfAsync(() => ghfe.DeliverAsync("workflow_job", DeliveryStream.Queued(jobId)))));
        }

        await Task.WhenAll(sending);
        return sending.Count;
    }

    /// <summary>One connection after another, each a 24 MiB body with a wrong signature, sent as fast as it goes.</summary>
    private static Task ForgeAsync(int port, Tally tally, CancellationToken stop) =>
        AttackAsync(port, ForgedLength, tally, stop, async (socket, answer) =>
        {
            for (var sent = 0; sent < ForgedLength && !answer.IsCompleted; sent += Chunk.Length)
            {
                await socket.SendAsync(Chunk, SocketFlags.None, stop);
            }
        });

    /// <summary>Declares 26 MB and sends 512 bytes every 250 ms (above Kestrel's minimum rate) until the flood ends.</summary>
    private static Task TrickleAsync(int port, Tally tally, CancellationToken stop)
    {
        var dribble = new byte[512];
        return AttackAsync(port, TrickledLength, tally, stop, async (socket, answer) =>
        {
            while (!answer.IsCompleted)
            {
                await socket.SendAsync(dribble, SocketFlags.None, stop);
                await Task.Delay(250, stop);
            }
        });
    }

    /// <summary>Until the flood ends, one connection after another declaring <paramref name="length"/> bytes, its body sent by <paramref name="send"/> until an answer comes.</summary>
    private static async Task AttackAsync(int port, int length, Tally tally, CancellationToken stop, Func<Socket, Task<int>, Task> send)
    {
        var header = Header(length);
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, stop);
                var answer = StatusAsync(socket, stop);
                try
                {
                    await socket.SendAsync(header, SocketFlags.None, stop);
                    await send(socket, answer);
                }
                catch (SocketException)
                {
                    // refused mid-body: the answer may still be there to read
                }

                tally.Add(await answer);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                tally.Add(Tally.Unreachable);
                await Pause(stop);
            }
        }
    }

    private static async Task Pause(CancellationToken stop)
    {
        try
        {
            await Task.Delay(100, stop);
        }
        catch (OperationCanceledException)
        {
            // the flood is over
        }
    }

    private static byte[] Header(int length) => Encoding.ASCII.GetBytes(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: workflow_job\r\n"
        + $"X-Hub-Signature-256: sha256={new string('0', 64)}\r\nX-GitHub-Delivery: {Guid.NewGuid()}\r\n"
        + $"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n");

    /// <summary>The status of the answer on this connection; -1 if it closed or reset without one.</summary>
    private static async Task<int> StatusAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[256];
        var filled = 0;
        try
        {
            while (filled < 12)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
                if (read == 0)
                {
                    return -1;
                }

                filled += read;
            }

            // "HTTP/1.1 503 ..."
            return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SocketException)
        {
            return -1;
        }
    }

    private sealed class Tally
    {
        /// <summary>The connection itself failed (nobody listening).</summary>
        public const int Unreachable = -2;

        private readonly ConcurrentDictionary<int, int> _counts = new();

        public void Add(int status) => _counts.AddOrUpdate(status, 1, (_, count) => count + 1);

        public int Count(int status) => _counts.GetValueOrDefault(status);

        /// <summary>"401: 120, 503: 3000, reset: 4"</summary>
        private static string Name(int status) => status switch
        {
            Unreachable => "could not connect",
            < 0 => "closed without answer",
            _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public override string ToString() => _counts.IsEmpty
            ? "none"
            : string.Join(", ", _counts.OrderBy(pair => pair.Key).Select(pair => $"{Name(pair.Key)}: {pair.Value}"));
    }
}

/// <summary>The flood measures latency and memory: it runs alone, after the tests that run in parallel, on a cluster of its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FloodCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "flood";
}
