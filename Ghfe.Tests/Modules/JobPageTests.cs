using System.Net;
using System.Text.Json;
using Ghfe.Pages;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Modules;

/// <summary>/jobs/{id}: "where is my job?" in one page — its row, its deliveries, why it was ignored, or what to do when ghfe never heard of it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class JobPageTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private static byte[] Delivery(string action, long jobId, string[]? labels = null)
    {
        var payload = Payloads.Queued(labels, 42, "someone", repository: "someone/project");
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    /// <summary>The page's JSON once the delivery log (written in the background) holds <paramref name="deliveries"/> rows.</summary>
    private async Task<JsonElement> JobJsonAsync(long jobId, int deliveries)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await Ghfe.Client.GetAsync($"/jobs/{jobId}.json");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (json.RootElement.GetProperty("deliveries").GetArrayLength() >= deliveries || attempt > 50)
            {
                return json.RootElement.Clone();
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_stored_job_shows_its_row_and_every_delivery_oldest_first()
    {
        await Ghfe.DeliverAsync("workflow_job", Delivery("queued", 7001), "d-1");
        await Ghfe.DeliverAsync("workflow_job", Delivery("queued", 7001), "d-2");
        await Ghfe.DeliverAsync("workflow_job", Delivery("in_progress", 7001), "d-3");

        var json = await JobJsonAsync(7001, 3);

        Assert.True(json.GetProperty("known").GetBoolean());
        Assert.Equal("running", json.GetProperty("job").GetProperty("status").GetString());
        Assert.Equal("scw-em-rv1", json.GetProperty("job").GetProperty("pool").GetString());
        Assert.Equal(
            [("d-1", "stored"), ("d-2", "already_exists"), ("d-3", "advanced")],
            json.GetProperty("deliveries").EnumerateArray().Select(d => (d.GetProperty("delivery_id").GetString(), d.GetProperty("outcome").GetString())));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("explanation").ValueKind);

        var html = await Ghfe.Client.GetStringAsync("/jobs/7001");
        Assert.Contains("<h1>Job 7001 <span class=\"badge status-running\">running</span></h1>", html, StringComparison.Ordinal);
        Assert.Contains("someone/project", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("d-1", StringComparison.Ordinal) < html.IndexOf("d-3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_runner_the_scheduler_gave_the_job_is_shown()
    {
        await Ghfe.DeliverAsync("workflow_job", Delivery("queued", 7005), "d-5");
        await using (var connection = new Npgsql.NpgsqlConnection(Database))
        {
            await connection.OpenAsync();
            await using var scheduler = new Npgsql.NpgsqlCommand("UPDATE staging.jobs SET k8s_pod = 'riscv-runner-7005-x2k9' WHERE job_id = 7005", connection);
            Assert.Equal(1, await scheduler.ExecuteNonQueryAsync());
        }

        var json = await JobJsonAsync(7005, 1);

        Assert.Equal("riscv-runner-7005-x2k9", json.GetProperty("job").GetProperty("pod").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("job").GetProperty("conclusion").ValueKind);
        Assert.Contains("<tr><th>Runner</th><td class=\"wrap\"><code class=\"image\"><span>riscv-<wbr>runner-<wbr>7005-<wbr>x2k9</span></code></td></tr>", await Ghfe.Client.GetStringAsync("/jobs/7005"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ignored_job_explains_its_labels_with_the_near_miss()
    {
        Assert.Equal(200, (await Ghfe.DeliverAsync("workflow_job", Delivery("queued", 7002, ["ubuntu-24.04-risv"]), "d-typo")).Status);

        var json = await JobJsonAsync(7002, 1);

        Assert.True(json.GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("job").ValueKind);
        var reasons = json.GetProperty("explanation").GetProperty("rules")[2].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("near miss: \"ubuntu-24.04-risv\" is 1 edit away from \"ubuntu-24.04-riscv\": did you mean \"ubuntu-24.04-riscv\"?", reasons);

        var html = await Ghfe.Client.GetStringAsync("/jobs/7002");
        Assert.Contains("No runner: no routing rule took its labels", html, StringComparison.Ordinal);
        Assert.Contains("did you mean &quot;ubuntu-24.04-riscv&quot;?", html, StringComparison.Ordinal);
        Assert.Matches("<p>rule [0-9]+ \\(.+\\) applies, but none of its routes takes \\[ubuntu-24.04-risv\\]; near miss: ", html);
    }

    [Fact]
    public async Task A_refused_delivery_is_not_explained_as_a_routing_miss()
    {
        var broken = Payloads.Queued(owner: 42, ownerLogin: "someone", repository: "someone/project");
        broken["workflow_job"]!["id"] = 7006;
        broken["installation"] = null;
        Assert.Equal(400, (await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(broken), "d-refused")).Status);

        var json = await JobJsonAsync(7006, 1);

        Assert.True(json.GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("explanation").ValueKind);
        var html = await Ghfe.Client.GetStringAsync("/jobs/7006");
        Assert.Contains("Not stored: the delivery was refused", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Why no rule routed it", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no_matching_rule", "No runner: no routing rule took its labels")]
    [InlineData("spooled", "Accepted, waiting in the journal")]
    [InlineData("unavailable", "Not stored: ghfe could not take it")]
    [InlineData("forwarded_2xx", "Handed to staging")]
    [InlineData("forward_timeout", "Not handed to staging: staging did not take it")]
    [InlineData("invalid_payload", "Not stored: the delivery was refused")]
    public void A_job_with_no_row_is_told_by_its_latest_outcome(string outcome, string headline)
    {
        Assert.Equal(headline, JobView.Fate(DeliveryOutcomes.Parse(outcome)!.Value).Headline);
    }

    [Fact]
    public async Task A_job_ghfe_never_heard_of_is_a_404_that_says_what_to_do()
    {
        using var response = await Ghfe.Client.GetAsync("/jobs/7003");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No delivery for job 7003 reached ghfe", html, StringComparison.Ordinal);
        Assert.Contains("Recent Deliveries", html, StringComparison.Ordinal);
        Assert.Contains("ghfe redeliver", html, StringComparison.Ordinal);

        using var json = await Ghfe.Client.GetAsync("/jobs/7003.json");
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.False(JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("known").GetBoolean());
    }

    [Theory]
    [InlineData("/jobs/abc")]
    [InlineData("/jobs/0")]
    [InlineData("/jobs/-5")]
    [InlineData("/jobs/99999999999999999999")]
    public async Task A_job_id_that_is_not_one_is_a_400(string path)
    {
        using var response = await Ghfe.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Bad request: a job id is a positive whole number", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7004", "/jobs/7004")]
    [InlineData("%23 7004 ", "/jobs/7004")]
    [InlineData("https%3A%2F%2Fgithub.com%2Fo%2Fr%2Factions%2Fruns%2F1%2Fjob%2F7004", "/jobs/7004")]
    public async Task The_search_box_goes_to_the_job(string query, string location)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Ghfe.Address };
        using var response = await client.GetAsync($"/jobs?id={query}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Other_pages_link_each_job_here()
    {
        await Ghfe.DeliverAsync("workflow_job", Delivery("queued", 7005), "d-5");
        await JobJsonAsync(7005, 1);

        Assert.Contains("<a href=\"/jobs/7005\">", await Ghfe.Client.GetStringAsync("/usage"), StringComparison.Ordinal);
        Assert.Contains("<a href=\"/jobs/7005\">", await Ghfe.Client.GetStringAsync("/history"), StringComparison.Ordinal);
        Assert.Contains("<a href=\"/jobs/7005\">", await Ghfe.Client.GetStringAsync("/deliveries"), StringComparison.Ordinal);
    }
}
