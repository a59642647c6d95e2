using System.Net;
using System.Text.Json;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

/// <summary>/deliveries/{id}: the id GitHub's Recent Deliveries shows, looked up — what became of it, its job, why it was ignored.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryPageTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private static byte[] Queued(long jobId, string[]? labels = null)
    {
        var payload = Payloads.Queued(labels, 42, "someone", repository: "someone/project");
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    /// <summary>The page's JSON once the delivery log (written in the background) holds the delivery.</summary>
    private async Task<JsonElement> DeliveryJsonAsync(string deliveryId)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await Ghfe.Client.GetAsync($"/deliveries/{deliveryId}.json");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (json.RootElement.GetProperty("known").GetBoolean() || attempt > 50)
            {
                return json.RootElement.Clone();
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_stored_delivery_shows_its_outcome_answer_and_a_link_to_its_job()
    {
        const string id = "0b1c2d3e-0000-4000-8000-000000007101";
        Assert.Equal(200, (await Ghfe.DeliverAsync("workflow_job", Queued(7101), id)).Status);

        var json = await DeliveryJsonAsync(id);

        Assert.Equal(id, json.GetProperty("delivery_id").GetString());
        var delivery = Assert.Single(json.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("stored", delivery.GetProperty("outcome").GetString());
        Assert.Equal(7101, delivery.GetProperty("job_id").GetInt64());
        Assert.Equal(200, delivery.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("explanation").ValueKind);

        var html = await Ghfe.Client.GetStringAsync($"/deliveries/{id}");
        Assert.Contains($"<h1>Delivery <code class=\"id\">{id}</code></h1>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/jobs/7101\">", html, StringComparison.Ordinal);
        Assert.Contains("workflow_job", html, StringComparison.Ordinal);

        var list = await Ghfe.Client.GetStringAsync("/deliveries");
        Assert.Contains($"<a href=\"/deliveries/{id}\"><code>{id}</code></a>", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ignored_delivery_explains_its_labels_and_links_to_the_explanation()
    {
        const string id = "0b1c2d3e-0000-4000-8000-000000007102";
        await Ghfe.DeliverAsync("workflow_job", Queued(7102, ["ubuntu-24.04-risv"]), id);

        var json = await DeliveryJsonAsync(id);

        Assert.Equal("no_matching_rule", json.GetProperty("deliveries")[0].GetProperty("outcome").GetString());
        var html = await Ghfe.Client.GetStringAsync($"/deliveries/{id}");
        Assert.Contains("Why no rule routed it", html, StringComparison.Ordinal);
        Assert.Contains("did you mean &quot;ubuntu-24.04-riscv&quot;?", html, StringComparison.Ordinal);
        Assert.Contains("/routing/explain?owner=42&amp;repo=someone%2Fproject&amp;labels=ubuntu-24.04-risv", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_delivery_is_a_404_that_says_what_to_do()
    {
        using var response = await Ghfe.Client.GetAsync("/deliveries/0b1c2d3e-0000-4000-8000-00000000dead");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ghfe's delivery log holds no delivery with this id", html, StringComparison.Ordinal);
        Assert.Contains("Recent Deliveries", html, StringComparison.Ordinal);

        using var json = await Ghfe.Client.GetAsync("/deliveries/0b1c2d3e-0000-4000-8000-00000000dead.json");
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.False(JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("known").GetBoolean());
    }

    [Theory]
    [InlineData("0b1c2d3e-0000-4000-8000-000000007103", "/deliveries/0b1c2d3e-0000-4000-8000-000000007103")]
    [InlineData("/jobs/289782451", "/jobs/289782451")]
    public async Task The_search_box_goes_to_the_page_of_what_it_was_given(string text, string page)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Ghfe.Address };
        using var response = await client.GetAsync($"/jobs?id={Uri.EscapeDataString(text)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(page, response.Headers.Location!.OriginalString);
    }
}
