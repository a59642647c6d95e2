using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Ghfe.Webhook;

// Load generator: pre-signed distinct queued deliveries (GitHub's ~8 KB example, routed), sent
// by N concurrent keep-alive connections to a running ghfe. Prints one line:
//   connections requests seconds rps p50_ms p99_ms non_2xx cpu_us_per_request notifies notified_ids
// (cpu is this process's own). Given a PostgreSQL connection string, it LISTENs on the queue's
// channel during the run and counts the NOTIFYs and the job ids they carry (0 0 without one).
// Usage: Ghfe.Load <url> <secret> <connections> <requests> <first-job-id> [<postgres> <channel>]
//
// The machine is shared by the generator, ghfe and PostgreSQL, so the generator must cost
// little: every request is serialised once, up front, and each connection writes the bytes and
// reads the answer off a plain socket (HttpClient spent about a third of the CPU here).
if (args.Length is not (5 or 7))
{
    Console.Error.WriteLine("usage: Ghfe.Load <url> <secret> <connections> <requests> <first-job-id> [<postgres> <channel>]");
    return 2;
}

var url = new Uri(args[0]);
var secret = Signature.SecretBytes(args[1]);
var connections = int.Parse(args[2], CultureInfo.InvariantCulture);
var requests = int.Parse(args[3], CultureInfo.InvariantCulture);
var firstId = long.Parse(args[4], CultureInfo.InvariantCulture);

var template = JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "workflow_job.queued.json")))!;
template["workflow_job"]!["labels"] = new JsonArray(JsonValue.Create("ubuntu-24.04-riscv"));
var deliveries = Enumerable.Range(0, requests).Select(i =>
{
    template["workflow_job"]!["id"] = firstId + i;
    var body = Encoding.UTF8.GetBytes(template.ToJsonString());
    var head = Encoding.ASCII.GetBytes(
        $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\n" +
        $"X-GitHub-Event: workflow_job\r\nX-GitHub-Delivery: load-{firstId + i}\r\nX-GitHub-Hook-Installation-Target-Id: 2167633\r\n" +
        $"X-Hub-Signature-256: {Signature.Compute(secret, body)}\r\nContent-Length: {body.Length}\r\n\r\n");
    return (byte[])[.. head, .. body];
}).ToArray();

using var listener = args.Length == 7 ? new Listener(args[5], args[6]) : null;
var latencies = new double[requests];
var failures = 0;
var next = -1;
var cpuBefore = Environment.CpuUsage.TotalTime;
var clock = Stopwatch.StartNew();
// One thread per connection, blocking calls: the cheapest way to drive a socket (no thread-pool
// hand-offs), so that the CPU this process takes from ghfe and PostgreSQL stays small.
var threads = Enumerable.Range(0, connections).Select(_ => new Thread(() =>
{
    using var connection = new Connection(url);
    while (Interlocked.Increment(ref next) is var i && i < requests)
    {
        var started = Stopwatch.GetTimestamp();
        var status = connection.Send(deliveries[i]);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (status is < 200 or > 299)
        {
            Interlocked.Increment(ref failures);
        }
    }
}, maxStackSize: 256 * 1024)).ToList();
threads.ForEach(thread => thread.Start());
threads.ForEach(thread => thread.Join());
clock.Stop();
var cpuPerRequest = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / requests;
var (notifies, notifiedIds) = listener?.Drain() ?? (0, 0);

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{connections} {requests} {clock.Elapsed.TotalSeconds:F2} {requests / clock.Elapsed.TotalSeconds:F0} {Percentile(0.50):F1} {Percentile(0.99):F1} {failures} {cpuPerRequest:F0} {notifies} {notifiedIds}"));
return 0;

/// <summary>Counts the NOTIFYs on a channel and the comma-separated job ids in their payloads.</summary>
internal sealed class Listener : IDisposable
{
    private readonly Npgsql.NpgsqlConnection _connection;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _notifies;
    private long _ids;
    private long _lastAt = Stopwatch.GetTimestamp();

    public Listener(string connectionString, string channel)
    {
        _connection = new Npgsql.NpgsqlConnection(connectionString);
        _connection.Open();
        _connection.Notification += (_, e) =>
        {
            _notifies++;
            _ids += e.Payload.Count(c => c == ',') + 1;
            _lastAt = Stopwatch.GetTimestamp();
        };
        using (var listen = new Npgsql.NpgsqlCommand($"LISTEN \"{channel}\"", _connection))
        {
            listen.ExecuteNonQuery();
        }

        _thread = new Thread(() =>
        {
            while (!_stopping)
            {
                _connection.Wait(100);
            }
        });
        _thread.Start();
    }

    /// <summary>Waits until no NOTIFY came for half a second (the last batches commit after the last answer), then stops.</summary>
    public (long Notifies, long Ids) Drain()
    {
        while (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastAt)) < TimeSpan.FromMilliseconds(500))
        {
            Thread.Sleep(50);
        }

        _stopping = true;
        _thread.Join();
        return (_notifies, _ids);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _connection.Dispose();
    }
}

/// <summary>One HTTP/1.1 keep-alive connection: writes a request, reads one answer (Content-Length framed).</summary>
internal sealed class Connection(Uri url) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Socket? _socket;

    /// <summary>The answer's status code; 0 when the connection failed (it is reopened for the next request).</summary>
    public int Send(byte[] request)
    {
        try
        {
            if (_socket is null)
            {
                _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                _socket.Connect(url.Host, url.Port);
            }

            _socket.Send(request);
            return ReadAnswer(_socket);
        }
        catch (SocketException)
        {
            Dispose();
            return 0;
        }
    }

    private int ReadAnswer(Socket open)
    {
        var filled = 0;
        while (true)
        {
            var read = open.Receive(_buffer.AsSpan(filled));
            if (read == 0)
            {
                Dispose();
                return 0;
            }

            filled += read;
            var headEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (headEnd < 0)
            {
                continue;
            }

            var (status, length, close) = Head(_buffer.AsSpan(0, headEnd));
            var total = headEnd + 4 + length;
            while (filled < total)
            {
                read = open.Receive(_buffer.AsSpan(filled));
                if (read == 0)
                {
                    Dispose();
                    return 0;
                }

                filled += read;
            }

            if (close)
            {
                Dispose();
            }

            return status;
        }
    }

    private static (int Status, int Length, bool Close) Head(ReadOnlySpan<byte> head)
    {
        Utf8Parser.TryParse(head["HTTP/1.1 ".Length..], out int status, out _);
        return (status, ContentLength(head), head.IndexOf("\r\nConnection: close"u8) >= 0);
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        var at = head.IndexOf("\r\nContent-Length: "u8);
        if (at < 0)
        {
            throw new InvalidDataException("an answer without Content-Length: " + Encoding.ASCII.GetString(head));
        }

        Utf8Parser.TryParse(head[(at + "\r\nContent-Length: ".Length)..], out int length, out _);
        return length;
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
