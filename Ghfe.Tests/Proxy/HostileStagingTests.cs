using System.Diagnostics;
using System.Globalization;
using Ghfe.Proxy;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Ghfe.Tests.Proxy;

/// <summary>
/// Prod ghfe as its own process, forwarding to a staging that answers as an attacker would:
/// redirects to another host, a huge answer, a trickling one, 5xx. Staging is a peer: nothing
/// it answers sends the delivery elsewhere, fills ghfe's memory, outlasts GitHub's 10 s window
/// or adds a metric label.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class HostileStagingTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const long RiseProject = 152654596;

    private static byte[] Delivery(long jobId)
    {
        var payload = Payloads.Queued(owner: RiseProject, ownerLogin: "riseproject-dev", repository: "riseproject-dev/riscv-runner");
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    private async Task<GhfeProcess> ProdForwardingToAsync(Uri staging) =>
        await GhfeProcess.StartAsync(await cluster.CreateDatabaseAsync(), ("PROD", "true"), ("STAGING_URL", staging.ToString()));

    [Fact]
    public async Task A_redirect_from_staging_is_a_502_and_the_host_it_names_hears_nothing()
    {
        int[] redirects = [301, 302, 303, 307, 308];
        await using var elsewhere = await ScriptedServer.StartListeningAsync();
        await using var staging = await ScriptedServer.StartAsync((context, n) =>
        {
            context.Response.StatusCode = redirects[(n - 1) % redirects.Length];
            context.Response.Headers.Location = new Uri(elsewhere.Address, "/collect").ToString();
            return Task.CompletedTask;
        });
        await using var prod = await ProdForwardingToAsync(staging.Address);

        foreach (var (status, job) in redirects.Select((s, i) => (s, 3001L + i)))
        {
            var (answered, text) = await prod.DeliverAsync("workflow_job", Delivery(job));

            Assert.Equal(502, answered);
            Assert.Equal($"Staging answered {status}, a redirect, which ghfe does not follow ({staging.Address.GetLeftPart(UriPartial.Authority)}); the delivery was not handled.", text);
        }

        Assert.Equal(redirects.Length, staging.Received);
        Assert.Equal(0, elsewhere.Received);
        var forwards = await ForwardsAsync(prod);
        Assert.Equal(new Dictionary<string, double> { [DeliveryOutcome.ForwardRedirect.Wire()] = redirects.Length }, forwards);
        output.WriteLine($"redirects {string.Join("/", redirects)}: all 502, {elsewhere.Received} requests reached the redirect target, forwards {Describe(forwards)}");
    }

    [Fact]
    public async Task A_200_MiB_answer_is_relayed_cut_to_4_KiB_and_never_read_whole()
    {
        const long huge = 200L << 20;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        await using var staging = StreamingServer.Start($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {huge}", chunk, chunk, huge);
        await using var prod = await ProdForwardingToAsync(staging.Address);
        var before = Peak(prod.Id);
        var clock = Stopwatch.StartNew();

        var (status, text) = await prod.DeliverAsync("workflow_job", Delivery(3101));
        var answered = clock.Elapsed;
        var sent = await staging.Sent.WaitAsync(TimeSpan.FromSeconds(10));
        var peak = Peak(prod.Id);

        Assert.Equal(200, status);
        Assert.StartsWith(new string('x', StagingForwarder.AnswerCap), text, StringComparison.Ordinal);
        Assert.EndsWith($"\n[ghfe: staging's answer is longer than {StagingForwarder.AnswerCap} bytes; cut here]", text, StringComparison.Ordinal);
        Assert.True(text.Length < StagingForwarder.AnswerCap + 100, $"relayed {text.Length} characters");
        Assert.True(sent < huge / 4, $"staging got {sent >> 20} MiB out before ghfe hung up");
        Assert.True(peak - before < 100L << 20, $"ghfe's peak resident memory grew from {before >> 20} MiB to {peak >> 20} MiB");
        Assert.Equal(new Dictionary<string, double> { [DeliveryOutcome.Forwarded2xx.Wire()] = 1 }, await ForwardsAsync(prod));
        output.WriteLine($"huge answer: staging offered {huge >> 20} MiB, got {sent >> 10} KiB out before ghfe hung up; "
            + $"ghfe relayed {text.Length} characters in {answered.TotalMilliseconds:F0} ms; ghfe's peak resident memory (VmHWM) {before >> 20} MiB before, {peak >> 20} MiB after");
    }

    [Fact]
    public async Task A_trickling_answer_is_a_502_within_GitHubs_10_s()
    {
        await using var staging = await ScriptedServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = 1000;
            await context.Response.StartAsync(context.RequestAborted);
            try
            {
                for (var i = 0; i < 1000; i++)
                {
                    await context.Response.Body.WriteAsync("."u8.ToArray(), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(100, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // ghfe gave up on it.
            }
        });
        await using var prod = await ProdForwardingToAsync(staging.Address);
        var clock = Stopwatch.StartNew();

        var (status, text) = await prod.DeliverAsync("workflow_job", Delivery(3201));
        var answered = clock.Elapsed;

        Assert.Equal(502, status);
        Assert.Equal($"Staging did not answer within 8 s ({staging.Address.GetLeftPart(UriPartial.Authority)}); the delivery was not handled.", text);
        Assert.InRange(answered, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(10));
        Assert.Equal(new Dictionary<string, double> { [DeliveryOutcome.ForwardTimeout.Wire()] = 1 }, await ForwardsAsync(prod));
        output.WriteLine($"trickle (headers at once, then 1 byte per 100 ms of a 1000-byte body): ghfe answered {status} after {answered.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Staging_5xx_is_a_502_in_ghfes_words_under_one_label_and_its_4xx_is_relayed()
    {
        int[] statuses = [500, 599, 503, 404];
        await using var staging = await ScriptedServer.StartAsync(async (context, n) =>
        {
            context.Response.StatusCode = statuses[n - 1];
            await context.Response.WriteAsync($"staging's own text for {statuses[n - 1]}", context.RequestAborted);
        });
        await using var prod = await ProdForwardingToAsync(staging.Address);

        var answers = new List<(int Status, string Text)>();
        for (var i = 0; i < statuses.Length; i++)
        {
            answers.Add(await prod.DeliverAsync("workflow_job", Delivery(3301 + i)));
        }

        Assert.Equal(
            [
                (502, $"Staging answered 500 ({staging.Address.GetLeftPart(UriPartial.Authority)}); the delivery was not handled."),
                (502, $"Staging answered 599 ({staging.Address.GetLeftPart(UriPartial.Authority)}); the delivery was not handled."),
                (502, $"Staging answered 503 ({staging.Address.GetLeftPart(UriPartial.Authority)}); the delivery was not handled."),
                (404, "staging's own text for 404"),
            ],
            answers);
        var forwards = await ForwardsAsync(prod);
        Assert.Equal(new Dictionary<string, double> { [DeliveryOutcome.Forward5xx.Wire()] = 3, [DeliveryOutcome.Forwarded4xx.Wire()] = 1 }, forwards);
        output.WriteLine($"staging answered {string.Join("/", statuses)}: ghfe answered {string.Join("/", answers.Select(a => a.Status))}; forwards {Describe(forwards)}");
    }

    /// <summary>ghfe_proxy_forwards_total by outcome; every outcome it shows must be one of the closed set.</summary>
    private static async Task<Dictionary<string, double>> ForwardsAsync(GhfeProcess ghfe)
    {
        const string series = "ghfe_proxy_forwards_total{outcome=\"";
        var forwards = (await ghfe.Client.GetStringAsync("/metrics")).Split('\n')
            .Where(line => line.StartsWith(series, StringComparison.Ordinal))
            .Select(line => line[series.Length..].Split("\"} "))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
        Assert.All(forwards.Keys, outcome => Assert.Contains(outcome, StagingAnswer.Outcomes.Select(DeliveryOutcomes.Wire)));
        return forwards.Where(f => f.Value > 0).ToDictionary();
    }

    private static string Describe(Dictionary<string, double> forwards) => string.Join(", ", forwards.Select(f => $"{f.Key}={f.Value}"));

    private static long Peak(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(line => long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024)
            .Single();
}
