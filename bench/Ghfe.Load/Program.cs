using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Ghfe.Webhook;

// Load generator: pre-signed distinct queued deliveries (GitHub's ~8 KB example, routed), sent
// by N concurrent connections to a running ghfe. Prints one line:
//   connections requests seconds rps p50_ms p99_ms non_2xx
// Usage: Ghfe.Load <url> <secret> <connections> <requests> <first-job-id>
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: Ghfe.Load <url> <secret> <connections> <requests> <first-job-id>");
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
    return (Body: body, Signature: Signature.Compute(secret, body), Id: $"load-{firstId + i}");
}).ToArray();

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = url,
    Timeout = TimeSpan.FromSeconds(30),
};
var latencies = new double[requests];
var failures = 0;
var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
{
    while (Interlocked.Increment(ref next) is var i && i < requests)
    {
        var (body, signature, id) = deliveries[i];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("X-GitHub-Event", "workflow_job");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", id);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode is < 200 or > 299)
            {
                Interlocked.Increment(ref failures);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref failures);
        }

        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}));
clock.Stop();

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{connections} {requests} {clock.Elapsed.TotalSeconds:F2} {requests / clock.Elapsed.TotalSeconds:F0} {Percentile(0.50):F1} {Percentile(0.99):F1} {failures}"));
return 0;
