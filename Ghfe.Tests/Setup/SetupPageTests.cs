using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Ghfe.GitHub;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Setup;

/// <summary>
/// /setup/org and /setup/personal on a real ghfe (production, pages closed: /setup stays public)
/// against a stub GitHub over real HTTP that checks each App's JWT with that App's public key.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class SetupPageTests(PostgresCluster cluster, ITestOutputHelper log) : IAsyncLifetime
{
    private const string OrgInstall = "https://github.com/apps/rise-risc-v-runners/installations/new";
    private const string PersonalInstall = "https://github.com/apps/rise-risc-v-runners-personal/installations/new";

    private StubGitHub? _github;
    private GhfeServer? _ghfe;
    private string _database = string.Empty;

    private StubGitHub GitHub => _github!;

    private GhfeServer Ghfe => _ghfe!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _github = await StubGitHub.StartAsync();
        GitHub.Install(StubGitHub.AppId, 101, 152654596, "riseproject-dev", "Organization");
        GitHub.Install(StubGitHub.PersonalAppId, 202, 660779, "someone", "User");
        GitHub.Install(StubGitHub.AppId, 303, 77, "alice", "User");
        GitHub.Install(StubGitHub.PersonalAppId, 404, 21003710, "pytorch", "Organization");
        _ghfe = await StartGhfeAsync(("GHAPP_PERSONAL_PRIVATE_KEY", GitHub.PersonalPrivateKeyPem));
    }

    public async Task DisposeAsync()
    {
        if (_ghfe is not null)
        {
            await _ghfe.DisposeAsync();
        }

        await GitHub.DisposeAsync();
    }

    private Task<GhfeServer> StartGhfeAsync(params (string Name, string Value)[] settings) =>
        GhfeServer.StartAsync(_database, prod: true, [("GHAPP_ORG_PRIVATE_KEY", GitHub.PrivateKeyPem), ("GITHUB_API_URL", GitHub.ApiUrl), .. settings]);

    private static async Task<(int Status, string Body)> GetAsync(GhfeServer ghfe, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await ghfe.Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<(int Status, string Body)> GetAsync(string path) => GetAsync(Ghfe, path);

    [Fact]
    public async Task The_organization_App_on_an_organization_is_all_set_with_the_labels_its_routing_offers()
    {
        var (status, body) = await GetAsync("/setup/org?installation_id=101");

        Assert.Equal(200, status);
        Assert.Contains("All set, riseproject-dev!", body, StringComparison.Ordinal);
        Assert.Contains("runs-on: ubuntu-24.04-riscv", body, StringComparison.Ordinal);
        // The shipped routing: two rules for some of its repositories, then the default for every other.
        Assert.Contains("<code class=\"label\">riseproject-dev/pytorch</code><code class=\"label\">riseproject-dev/executorch</code>", body, StringComparison.Ordinal);
        Assert.Contains("<code class=\"label\">riseproject-dev/llama.cpp</code>", body, StringComparison.Ordinal);
        Assert.Contains("Every other repository</span>\n      runs-on exactly <code class=\"label\">ubuntu-24.04-riscv</code><span class=\"subtle\">→ pool scw-em-rv1</span>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Unauthorized", body, StringComparison.Ordinal);
        Assert.Empty(GitHub.TokenProblems);
    }

    [Fact]
    public async Task The_personal_App_on_a_personal_account_is_all_set()
    {
        var (status, body) = await GetAsync("/setup/personal?installation_id=202");

        Assert.Equal(200, status);
        Assert.Contains("All set, someone!", body, StringComparison.Ordinal);
        Assert.Contains("Every repository</span>\n      runs-on exactly <code class=\"label\">ubuntu-24.04-riscv</code>", body, StringComparison.Ordinal);
        Assert.Empty(GitHub.TokenProblems);
    }

    [Theory]
    [InlineData("/setup/org?installation_id=303", "The organization App is installed on a personal account", "alice", PersonalInstall, OrgInstall)]
    [InlineData("/setup/personal?installation_id=404", "The personal App is installed on an organization", "pytorch", OrgInstall, PersonalInstall)]
    public async Task The_App_on_the_wrong_account_type_is_400_with_the_other_Apps_install_button(string path, string headline, string login, string button, string notButton)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(400, status);
        Assert.Contains(headline, body, StringComparison.Ordinal);
        Assert.Contains($"<b>{login}</b>", body, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"button\" href=\"{button}\">", body, StringComparison.Ordinal);
        Assert.DoesNotContain(notButton, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/setup/org?installation_id=202", "Installation 202 is not the organization App", PersonalInstall)]
    [InlineData("/setup/personal?installation_id=101", "Installation 101 is not the personal App", OrgInstall)]
    [InlineData("/setup/org?installation_id=999999", "Installation 999999 is not the organization App", PersonalInstall)]
    public async Task An_installation_this_App_does_not_have_is_404_with_the_fix(string path, string headline, string button)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(404, status);
        Assert.Contains(headline, body, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"button\" href=\"{button}\">", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/setup/org", "there is no installation_id in the address")]
    [InlineData("/setup/personal?installation_id=", "installation_id is not an installation id")]
    [InlineData("/setup/org?installation_id=abc", "installation_id is not an installation id")]
    [InlineData("/setup/org?installation_id=-5", "installation_id is not an installation id")]
    [InlineData("/setup/org?installation_id=99999999999999999999", "installation_id is not an installation id")]
    [InlineData("/setup/org?installation_id=1&installation_id=2", "there is no installation_id in the address")]
    public async Task No_or_a_malformed_installation_id_is_400_with_both_install_buttons(string path, string problem)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(400, status);
        Assert.Contains(problem, body, StringComparison.Ordinal);
        Assert.Contains($"href=\"{OrgInstall}\"", body, StringComparison.Ordinal);
        Assert.Contains($"href=\"{PersonalInstall}\"", body, StringComparison.Ordinal);
        Assert.Equal(0, GitHub.InstallationCalls);
    }

    [Fact]
    public async Task GitHub_failing_is_502_saying_its_status_and_soon_asked_again()
    {
        GitHub.InstallationFailure = 500;
        var (status, body) = await GetAsync("/setup/org?installation_id=101");

        Assert.Equal(502, status);
        Assert.Contains("GitHub answered 500: Server Error", body, StringComparison.Ordinal);
        Assert.Contains("Reload this page in a minute", body, StringComparison.Ordinal);

        // A failure is kept for a few seconds only: GitHub back, the page is right once that has passed.
        GitHub.InstallationFailure = null;
        var waited = Stopwatch.StartNew();
        while ((await GetAsync("/setup/org?installation_id=101")).Status != 200)
        {
            Assert.True(waited.Elapsed < InstallationLookup.FailureFresh + TimeSpan.FromSeconds(30), "still failing long after GitHub came back");
            await Task.Delay(200);
        }

        log.WriteLine($"right again {waited.Elapsed.TotalSeconds:F1} s after GitHub came back (a failure is kept {InstallationLookup.FailureFresh.TotalSeconds} s)");
        Assert.Equal(2, GitHub.InstallationCalls);
    }

    [Fact]
    public async Task GitHub_unreachable_is_502_saying_so()
    {
        await using var ghfe = await StartGhfeAsync(("GITHUB_API_URL", $"http://127.0.0.1:{GhfeProcess.FreePort()}/"));
        var (status, body) = await GetAsync(ghfe, "/setup/org?installation_id=101");

        Assert.Equal(502, status);
        Assert.Contains("cannot reach GitHub&#39;s API", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_GitHub_refuses_is_502_naming_the_token()
    {
        // The personal App's key where the organization App's belongs: GitHub cannot check the JWT.
        await using var ghfe = await StartGhfeAsync(("GHAPP_ORG_PRIVATE_KEY", GitHub.PersonalPrivateKeyPem));
        var (status, body) = await GetAsync(ghfe, "/setup/org?installation_id=101");

        Assert.Equal(502, status);
        Assert.Contains("GitHub refused the App&#39;s token (401", body, StringComparison.Ordinal);
        Assert.NotEmpty(GitHub.TokenProblems);
    }

    [Fact]
    public async Task Without_the_Apps_key_it_is_503_naming_the_setting()
    {
        await using var ghfe = await GhfeServer.StartAsync(_database, prod: true, ("GITHUB_API_URL", GitHub.ApiUrl), ("GHAPP_ORG_PRIVATE_KEY", "not a key"));
        var (personal, personalBody) = await GetAsync(ghfe, "/setup/personal?installation_id=202");
        var (org, orgBody) = await GetAsync(ghfe, "/setup/org?installation_id=101");

        Assert.Equal(503, personal);
        Assert.Contains("GHAPP_PERSONAL_PRIVATE_KEY is not set", personalBody, StringComparison.Ordinal);
        Assert.Equal(503, org);
        Assert.Contains("GHAPP_ORG_PRIVATE_KEY is not a PEM RSA private key", orgBody, StringComparison.Ordinal);
        Assert.Equal(0, GitHub.InstallationCalls);
    }

    [Fact]
    public async Task A_second_look_within_the_minute_does_not_ask_GitHub_and_each_App_asks_for_itself()
    {
        Assert.Equal(200, (await GetAsync("/setup/org?installation_id=101")).Status);
        Assert.Equal(200, (await GetAsync("/setup/org?installation_id=101")).Status);
        Assert.Equal(200, (await GetAsync("/setup/org.json?installation_id=101")).Status);
        Assert.Equal(1, GitHub.InstallationCalls);

        // The same id as the other App is another question.
        Assert.Equal(404, (await GetAsync("/setup/personal?installation_id=101")).Status);
        Assert.Equal(2, GitHub.InstallationCalls);
    }

    [Fact]
    public async Task A_flood_for_one_installation_costs_GitHub_one_call_and_never_a_500()
    {
        GitHub.InstallationDelay = TimeSpan.FromSeconds(1);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = Ghfe.Address, Timeout = TimeSpan.FromSeconds(60) };
        var took = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await client.GetAsync("/setup/org?installation_id=101");
            var body = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, body);
        }));

        var counts = statuses.GroupBy(answer => answer.Item1).OrderBy(group => group.Key).Select(group => $"{group.Key}×{group.Count()}");
        log.WriteLine($"200 requests at once in {took.Elapsed.TotalSeconds:F1} s: {string.Join(", ", counts)}; GitHub asked {GitHub.InstallationCalls} time(s)");
        Assert.Equal(1, GitHub.InstallationCalls);
        Assert.All(statuses, answer => Assert.True(
            answer.Item1 == 200 && answer.body.Contains("All set, riseproject-dev!", StringComparison.Ordinal)
            || answer.Item1 == 503 && answer.body.Contains("Too many page requests at once", StringComparison.Ordinal),
            $"{answer.Item1}: {answer.body[..Math.Min(200, answer.body.Length)]}"));
        Assert.Contains(statuses, answer => answer.Item1 == 200);

        // The crowd gone, one more look: from the cache.
        Assert.Equal(200, (await GetAsync("/setup/org?installation_id=101")).Status);
        Assert.Equal(1, GitHub.InstallationCalls);
    }

    [Fact]
    public async Task The_JSON_twin_says_the_same_and_the_page_is_public_while_the_others_are_closed()
    {
        var json = JsonNode.Parse(await Ghfe.Client.GetStringAsync("/setup/personal.json?installation_id=202"))!;

        Assert.Equal("all_set", json["state"]!.GetValue<string>());
        Assert.Equal("someone", json["login"]!.GetValue<string>());
        Assert.Equal(200, json["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await Ghfe.Client.GetAsync("/usage")).StatusCode);
    }

    [Fact]
    public async Task A_login_is_text_on_the_page()
    {
        GitHub.Install(StubGitHub.AppId, 505, 9, "<img src=x onerror=alert(1)>", "Organization");
        var (status, body) = await GetAsync("/setup/org?installation_id=505");

        Assert.Equal(200, status);
        Assert.Contains("All set, &lt;img src=x onerror=alert(1)&gt;!", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", body, StringComparison.Ordinal);
    }
}
