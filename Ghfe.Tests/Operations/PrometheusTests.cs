using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Operations;

/// <summary>
/// The shipped dashboard and alerts against the real thing: a Prometheus server scraping a ghfe
/// process that has taken deliveries. Every query must parse and every dashboard query must
/// return series; the waiting-too-long alert, at a test threshold, must fire for a job left pending.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class PrometheusTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_real_prometheus_runs_every_dashboard_query_and_alert_and_fires_for_a_job_left_pending()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()))).Status);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()))).Status);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(labels: ["windows-latest"])))).Status);
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Payloads.Serialize(Payloads.Queued())) })
        {
            forged.Headers.TryAddWithoutValidation("X-GitHub-Event", "workflow_job");
            forged.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
            (await ghfe.Client.SendAsync(forged)).Dispose();
        }

        // What the scheduler would have written: a worker, and a job of a pool the routing file no longer names.
        await Rows.ExecuteAsync(database, """
            INSERT INTO staging.workers (pod_name, provider, entity_id, entity_name, k8s_pool, k8s_image, status)
            VALUES ('runner-1', 'github', 21003710, 'pytorch', 'scw-em-rv1', 'img', 'running');
            INSERT INTO staging.jobs (job_id, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id, k8s_pool, k8s_image)
            VALUES (7, 'github', 1, 'someone', 'User', 'someone/repo', 1, 'retired-pool', 'img');
            """);

        // The shipped rules, with the waiting alert at a test threshold: above 1 s for 1 s.
        var rules = Monitoring.WithThreshold("GhfeJobWaitingTooLong", "> 600", "> 1", "1s");
        await using var prometheus = await PrometheusServer.StartAsync(ghfe.Address, rules);
        var queries = Monitoring.DashboardQueries()
            .Select(q => q with { Expr = q.Expr.Replace("$__rate_interval", "15s", StringComparison.Ordinal) })
            .ToArray();
        Assert.All(queries, q => Assert.DoesNotContain("$", q.Expr, StringComparison.Ordinal));

        var deadline = DateTimeOffset.UtcNow + Bound;
        var counts = new Dictionary<DashboardQuery, int>();
        var firing = false;
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var query in queries)
            {
                var (ok, series, error) = await prometheus.QueryAsync(query.Expr);
                Assert.True(ok, $"{query.Panel} {query.RefId}: {error}");
                counts[query] = series;
            }

            firing = (await prometheus.AlertsAsync())
                .Any(a => a is { Name: "GhfeJobWaitingTooLong", State: "firing" } && a.Labels["pool"] == "scw-em-rv1");
            if (firing && counts.Values.All(n => n > 0))
            {
                break;
            }

            await Task.Delay(1000);
        }

        foreach (var alert in Monitoring.Alerts())
        {
            var (ok, series, error) = await prometheus.QueryAsync(alert.Expr);
            Assert.True(ok, $"{alert.Name}: {error}");
            output.WriteLine($"alert {alert.Name}: parses, {series} series now");
        }

        foreach (var (query, series) in counts)
        {
            output.WriteLine($"{series} series  {query.Panel} {query.RefId}: {query.Expr}");
        }

        var scrape = await ghfe.Client.GetStringAsync("/metrics");
        output.WriteLine(string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith("ghfe_jobs", StringComparison.Ordinal) || l.StartsWith("ghfe_oldest", StringComparison.Ordinal) || l.StartsWith("ghfe_workers", StringComparison.Ordinal) || l.StartsWith("ghfe_queue", StringComparison.Ordinal))));

        Assert.All(counts, pair => Assert.True(pair.Value > 0, $"{pair.Key.Panel} {pair.Key.RefId} returned no series: {pair.Key.Expr}"));
        Assert.True(firing, $"GhfeJobWaitingTooLong did not fire within {Bound.TotalSeconds} s:\n{string.Join('\n', prometheus.Lines)}");
        Assert.Contains("ghfe_jobs{pool=\"scw-em-rv1\",status=\"pending\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("ghfe_jobs{pool=\"other\",status=\"pending\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("ghfe_workers{pool=\"scw-em-rv1\",status=\"running\"} 1", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("retired-pool", scrape, StringComparison.Ordinal);
    }
}
