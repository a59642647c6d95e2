using System.Diagnostics;
using System.Net;
using Ghfe.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>A crowd of slow pages costs the deliveries nothing: the pages read through a small pool of their own, a few at a time.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class PagesUnderLoadTests(PostgresCluster cluster, ITestOutputHelper output) : GhfeOnFreshDatabase(cluster)
{
    private const int PageCrowd = 120;
    private const int SignedDeliveries = 60;

    /// <summary>Delivery-log rows over the last 13 days: /deliveries filtered by an owner nobody is reads every one of them.</summary>
    private async Task SeedDeliveryLogAsync(int rows) =>
        await Rows.ExecuteAsync(Database, $"""
            INSERT INTO staging.deliveries (delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository, labels, outcome, status, elapsed_ms, source)
            SELECT 'seed-' || n, now() - (n % 1123200) * interval '1 second', 'workflow_job', 'queued', n, 42, 'someone', 'someone/project',
                   '["ubuntu-26.04-riscv"]', 'no_matching_rule', 200, 1.5, '10.0.0.1'
            FROM generate_series(1, {rows}) AS n
            """);

    [Fact]
    public async Task A_crowd_of_slow_pages_neither_spools_nor_slows_signed_deliveries()
    {
        await SeedDeliveryLogAsync(400_000);
        var start = DateTime.UtcNow.AddDays(-13).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var slowPage = $"/deliveries?start={start}&owner=nobody-at-all&per_page=500";

        using var pagesClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = PageCrowd }) { BaseAddress = Ghfe.Address, Timeout = TimeSpan.FromSeconds(60) };
        var watch = Stopwatch.StartNew();
        using var single = await pagesClient.GetAsync(slowPage);
        output.WriteLine($"one slow page alone: {(int)single.StatusCode} in {watch.ElapsedMilliseconds} ms");

        var pageStatuses = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode Status, bool RetryAfter)>();
        using var stop = new CancellationTokenSource();
        var crowd = Enumerable.Range(0, PageCrowd).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await pagesClient.GetAsync(slowPage);
                pageStatuses.Add((response.StatusCode, response.Headers.RetryAfter is not null));
            }
        })).ToArray();
        // The crowd is in: as many answers as it has members, so it is asking again.
        for (var waited = 0; pageStatuses.Count < PageCrowd; waited++)
        {
            Assert.True(waited < 1500, $"the crowd had {pageStatuses.Count} answers in 30 s");
            await Task.Delay(20);
        }

        var answers = new List<(int Status, string Text, double Milliseconds)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, SignedDeliveries), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var payload = Payloads.Queued(owner: 42, ownerLogin: "someone", repository: "someone/project");
            payload["workflow_job"]!["id"] = 9_000_000 + i;
            var timer = Stopwatch.StartNew();
            var (status, text) = await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload), $"hammer-{i}");
            lock (answers)
            {
                answers.Add((status, text, timer.Elapsed.TotalMilliseconds));
            }
        });
        await stop.CancelAsync();
        await Task.WhenAll(crowd);

        var latencies = answers.Select(a => a.Milliseconds).Order().ToArray();
        var p50 = latencies[latencies.Length / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Length * 0.99) - 1];
        var spooled = answers.Count(a => a.Status == 202);
        var byStatus = pageStatuses.GroupBy(p => p.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"signed deliveries: {answers.Count}, p50 {p50:F0} ms, p99 {p99:F0} ms, max {latencies[^1]:F0} ms, spooled {spooled}");
        output.WriteLine($"page requests: {pageStatuses.Count} ({string.Join(", ", byStatus.OrderBy(p => p.Key).Select(p => $"{(int)p.Key}: {p.Value}"))})");

        Assert.All(answers, a => Assert.Equal((200, "stored"), (a.Status, a.Text.EndsWith("stored.", StringComparison.Ordinal) ? "stored" : a.Text)));
        Assert.Equal(0, spooled);
        Assert.True(p99 < 3000, $"signed p99 {p99:F0} ms while pages are hammered");
        Assert.True(byStatus.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) > 0, "some page requests are turned away");
        Assert.All(pageStatuses.Where(p => p.Status == HttpStatusCode.ServiceUnavailable), p => Assert.True(p.RetryAfter, "a 503 says when to retry"));
        Assert.True(byStatus.GetValueOrDefault(HttpStatusCode.OK) > 0, "pages are still served, a few at a time");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], byStatus.Keys.Order().ToArray());

        // Every signed delivery made its delivery-log row.
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        long logged = 0;
        for (var attempt = 0; attempt < 50 && logged < SignedDeliveries; attempt++)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM staging.deliveries WHERE delivery_id LIKE 'hammer-%'", connection);
            logged = (long)(await count.ExecuteScalarAsync())!;
            await Task.Delay(100);
        }

        Assert.Equal(SignedDeliveries, logged);
    }

    [Fact]
    public async Task A_page_held_past_the_statement_timeout_answers_503_with_retry_after()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockLog = new NpgsqlCommand("LOCK TABLE staging.deliveries IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockLog.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        using var response = await Ghfe.Client.GetAsync("/deliveries");
        output.WriteLine($"/deliveries behind a lock: {(int)response.StatusCode} after {watch.ElapsedMilliseconds} ms: {await response.Content.ReadAsStringAsync()}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("took more than 5 s", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed.TotalSeconds, 4, 15);

        // Meanwhile a delivery's job is stored (its log row waits for the lock, off the answer's path).
        Assert.Equal(200, (await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(owner: 42, ownerLogin: "someone", repository: "someone/project")))).Status);
    }
}
