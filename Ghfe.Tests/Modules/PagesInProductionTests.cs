using System.Net;
using System.Net.Http.Headers;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

/// <summary>
/// In production the pages need GHFE_PAGES_TOKEN, unless GHFE_PAGES_PUBLIC=true says they are
/// public; with neither they are closed (deliveries go on), and start-up says which.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class PagesInProductionTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Without_a_token_the_pages_are_closed_the_webhook_is_not_and_start_up_says_so()
    {
        await using var ghfe = await GhfeProcess.StartAsync(await cluster.CreateDatabaseAsync(), ("PROD", "true"));
        using var page = await ghfe.Client.GetAsync("/deliveries.json");
        var text = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("GHFE_PAGES_TOKEN", text, StringComparison.Ordinal);
        Assert.Contains("GHFE_PAGES_PUBLIC=true", text, StringComparison.Ordinal);
        Assert.Contains(ghfe.Lines, line => line.Contains("pages: closed", StringComparison.Ordinal)
            && line.Contains("GHFE_PAGES_TOKEN", StringComparison.Ordinal) && line.Contains("GHFE_PAGES_PUBLIC=true", StringComparison.Ordinal));
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()))).Status);
        Assert.Equal(HttpStatusCode.OK, (await ghfe.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task GHFE_PAGES_PUBLIC_opens_them_and_start_up_says_so()
    {
        await using var ghfe = await GhfeProcess.StartAsync(await cluster.CreateDatabaseAsync(), ("PROD", "true"), ("GHFE_PAGES_PUBLIC", "true"));
        using var page = await ghfe.Client.GetAsync("/usage?refresh=0");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(ghfe.Lines, line => line.Contains("pages: public, no token (GHFE_PAGES_PUBLIC=true)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_guards_them_and_start_up_says_so()
    {
        await using var ghfe = await GhfeProcess.StartAsync(await cluster.CreateDatabaseAsync(), ("PROD", "true"), ("GHFE_PAGES_TOKEN", "prod-s3cret"));
        using var anonymous = await ghfe.Client.GetAsync("/usage");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/usage.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "prod-s3cret");
        using var withToken = await ghfe.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains(ghfe.Lines, line => line.Contains("pages: behind a token (GHFE_PAGES_TOKEN)", StringComparison.Ordinal));
        Assert.DoesNotContain(ghfe.Lines, line => line.Contains("prod-s3cret", StringComparison.Ordinal));
    }
}
