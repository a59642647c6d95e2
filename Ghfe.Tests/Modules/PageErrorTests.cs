using System.Net;
using System.Net.Http.Headers;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

/// <summary>A page's error in a browser is a page with the navigation; a script still gets the plain text; <c>GET /</c> leads to the pages.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PageErrorTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private async Task<(HttpStatusCode Status, string? Type, string Body, string? Policy)> GetAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await Ghfe.Client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("Content-Security-Policy", out var policy) ? policy.Single() : null);
    }

    [Theory]
    [InlineData("/jobs/not-a-job", "Bad request: a job id is a positive whole number")]
    [InlineData("/jobs?id=not-a-job", "Bad request: a job id is a positive whole number")]
    [InlineData("/deliveries?outcome=lost", "Bad request: ")]
    public async Task A_bad_request_from_a_browser_is_a_page_in_the_layout(string path, string text)
    {
        var (status, type, body, policy) = await GetAsync(path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("text/html", type);
        Assert.Contains("<h1>Bad request</h1>", body, StringComparison.Ordinal);
        Assert.Contains(text, body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/usage\">Usage</a>", body, StringComparison.Ordinal);
        Assert.Contains("role=\"search\"", body, StringComparison.Ordinal);
        Assert.NotNull(policy);
    }

    [Theory]
    [InlineData("/jobs/not-a-job", "text/plain")]
    [InlineData("/jobs/not-a-job", "*/*")]
    [InlineData("/deliveries.json?outcome=lost", "text/html")]
    public async Task A_bad_request_from_a_script_is_plain_text_as_ever(string path, string accept)
    {
        var (status, type, body, _) = await GetAsync(path, accept);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("text/plain", type);
        Assert.StartsWith("Bad request: ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_at_the_root_goes_to_usage_and_the_webhook_stays_there()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Ghfe.Address };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/usage", response.Headers.Location!.OriginalString);
        Assert.Equal(200, (await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()), "d-root")).Status);
    }
}
