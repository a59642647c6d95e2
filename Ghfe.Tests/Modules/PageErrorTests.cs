using System.Net;
using System.Net.Http.Headers;
using Ghfe.Tests.Support;
using Npgsql;

namespace Ghfe.Tests.Modules;

/// <summary>A page's error in a browser is a page with the navigation; a script still gets the plain text; <c>GET /</c> leads to the pages.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PageErrorTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private async Task<Answer> GetAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await Ghfe.Client.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("Content-Security-Policy", out var policy) ? policy.Single() : null,
            response.Headers.TryGetValues("Retry-After", out var retry) ? retry.Single() : null);
    }

    private sealed record Answer(HttpStatusCode Status, string? Type, string Body, string? Policy, string? RetryAfter);

    [Theory]
    [InlineData("/jobs/not-a-job", "Bad request: a job id is a positive whole number")]
    [InlineData("/jobs?id=not-a-job", "Bad request: a job id is a positive whole number")]
    [InlineData("/deliveries?outcome=lost", "Bad request: ")]
    public async Task A_bad_request_from_a_browser_is_a_page_in_the_layout(string path, string text)
    {
        var (status, type, body, policy, _) = await GetAsync(path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

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
        var (status, type, body, _, _) = await GetAsync(path, accept);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("text/plain", type);
        Assert.StartsWith("Bad request: ", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// The pages' database does not answer in time (the delivery log held by a lock past the pages'
    /// statement timeout): a browser gets the 503 as a page in the layout, a script the one line, and
    /// the JSON route the same line, each with Retry-After.
    /// </summary>
    [Fact]
    [Trait("Speed", "Slow")]
    public async Task A_database_that_does_not_answer_is_a_503_in_the_layout_for_a_browser_and_one_line_for_a_script()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockLog = new NpgsqlCommand("LOCK TABLE staging.deliveries IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockLog.ExecuteNonQueryAsync();
        }

        var answers = await Task.WhenAll(
            GetAsync("/deliveries", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            GetAsync("/deliveries", "text/plain"),
            GetAsync("/deliveries.json", "application/json"));
        var (browser, script, json) = (answers[0], answers[1], answers[2]);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "text/html"), (browser.Status, browser.Type));
        Assert.Contains("<title>Not available right now · ghfe Staging</title>", browser.Body, StringComparison.Ordinal);
        Assert.Contains("<h1>Not available right now</h1>", browser.Body, StringComparison.Ordinal);
        Assert.Contains("took more than 5 s to read", browser.Body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/deliveries\">Deliveries</a>", browser.Body, StringComparison.Ordinal);
        Assert.Contains("role=\"search\"", browser.Body, StringComparison.Ordinal);
        Assert.NotNull(browser.Policy);
        foreach (var (status, type, body, _, _) in new[] { script, json })
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "text/plain"), (status, type));
            Assert.StartsWith("The page took more than 5 s to read", body, StringComparison.Ordinal);
            Assert.DoesNotContain("<", body, StringComparison.Ordinal);
        }

        Assert.All(answers, answer => Assert.Equal("5", answer.RetryAfter));
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
