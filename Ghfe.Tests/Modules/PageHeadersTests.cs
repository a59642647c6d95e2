using System.Net;
using System.Net.Http.Headers;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

/// <summary>Every page answer keeps itself out of frames, sends no referrer, allows no script, and a header token stays out of links.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PageHeadersTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private const string Token = "header-s3cret";

    public static readonly TheoryData<string> Paths =
    [
        "/usage", "/usage.json", "/history", "/history.json", "/deliveries", "/deliveries.json", "/routing", "/routing.json",
        "/routing/explain?owner=42&repo=someone/project&labels=ubuntu-24.04-riscv", "/jobs/12345", "/jobs/12345.json", "/history?page=abc",
    ];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_page_answer_sends_the_security_headers(string path)
    {
        using var response = await Ghfe.Client.GetAsync(path);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_refused_page_sends_them_too()
    {
        await using var guarded = await GhfeServer.StartAsync(Database, prod: false, ("GHFE_PAGES_TOKEN", Token));
        using var response = await guarded.Client.GetAsync("/usage");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task The_policy_allows_no_script_and_styles_only_by_hash()
    {
        using var response = await Ghfe.Client.GetAsync("/usage");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);

        Assert.Equal("default-src 'none'", policy["default-src"]);
        Assert.False(policy.ContainsKey("script-src"), "no script source at all: default-src 'none' forbids every script");
        Assert.Matches("^style-src( 'sha256-[A-Za-z0-9+/=]{44}')+$", policy["style-src"]);
        Assert.Equal("frame-ancestors 'none'", policy["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", string.Join(";", policy.Values), StringComparison.Ordinal);
        Assert.DoesNotContain(" style=\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usage?refresh=0")]
    [InlineData("/history")]
    [InlineData("/deliveries")]
    [InlineData("/routing")]
    [InlineData("/routing/explain?owner=42&repo=someone/project&labels=ubuntu-26.04-riscv")]
    public async Task A_token_given_in_the_header_stays_out_of_every_link(string path)
    {
        await using var guarded = await GhfeServer.StartAsync(Database, prod: false, ("GHFE_PAGES_TOKEN", Token));
        await guarded.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(["ubuntu-26.04-riscv"], 42, "someone", repository: "someone/project")));

        // The header lets the request in; a token also in the address (pasted, or guessed) is not carried on.
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var headerOnly = new HttpRequestMessage(HttpMethod.Get, path);
        headerOnly.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var headerAndQuery = new HttpRequestMessage(HttpMethod.Get, $"{path}{separator}token={Token}");
        headerAndQuery.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var queryOnly = await guarded.Client.GetAsync($"{path}{separator}token={Token}");

        foreach (var request in new[] { headerOnly, headerAndQuery })
        {
            using var response = await guarded.Client.SendAsync(request);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(Token, html, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, string.Join(",", response.Headers.TryGetValues("Link", out var links) ? links : []), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, queryOnly.StatusCode);
        Assert.Contains($"href=\"/usage?token={Token}\"", await queryOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
