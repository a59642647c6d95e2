using Ghfe.Tests.Support;
using Microsoft.Playwright;

namespace Ghfe.Tests.Setup;

/// <summary>/setup in headless Chromium (Debian's), as whoever just installed an App sees it, on a phone and a laptop.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class SetupBrowserTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Token = "pages-token";

    private StubGitHub? _github;
    private GhfeServer? _ghfe;
    private HeadlessChromium? _chromium;

    public async Task InitializeAsync()
    {
        _github = await StubGitHub.StartAsync();
        _github.Install(StubGitHub.AppId, 101, 152654596, "riseproject-dev", "Organization");
        _github.Install(StubGitHub.AppId, 303, 77, "alice", "User");
        _ghfe = await GhfeServer.StartAsync(
            await cluster.CreateDatabaseAsync(), prod: true,
            ("GHAPP_ORG_PRIVATE_KEY", _github.PrivateKeyPem), ("GHAPP_PERSONAL_PRIVATE_KEY", _github.PersonalPrivateKeyPem), ("GITHUB_API_URL", _github.ApiUrl),
            ("GHFE_PAGES_TOKEN", Token));
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_ghfe is not null)
        {
            await _ghfe.DisposeAsync();
        }

        if (_github is not null)
        {
            await _github.DisposeAsync();
        }
    }

    /// <summary>Each answer a user may meet: its address, status, heading and name in the screenshots.</summary>
    public static TheoryData<string, int, string, string, int> Answers()
    {
        var answers = new TheoryData<string, int, string, string, int>();
        foreach (var width in new[] { 390, 1280 })
        {
            answers.Add("/setup/org?installation_id=101", 200, "All set, riseproject-dev!", "all-set", width);
            answers.Add("/setup/org?installation_id=303", 400, "The organization App is installed on a personal account", "wrong-account", width);
            answers.Add("/setup/personal?installation_id=101", 404, "Installation 101 is not the personal App's", "not-found", width);
            answers.Add("/setup/org", 400, "Which installation?", "no-installation", width);
        }

        return answers;
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Each_answer_reads_well_and_fits(string path, int status, string heading, string name, int width)
    {
        var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 800 } });
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        var response = await page.GotoAsync(new Uri(_ghfe!.Address, path).ToString());

        Assert.Equal(status, response!.Status);
        Assert.Equal("Setup · ghfe Prod", await page.TitleAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>($"() => document.documentElement.scrollWidth <= {width}"), "the page does not scroll sideways");
        foreach (var button in await page.Locator("a.button").AllAsync())
        {
            // A button looks like one: the accent behind it, its text on one or two lines, inside the card.
            Assert.NotEqual("rgba(0, 0, 0, 0)", await button.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
            Assert.True(await button.EvaluateAsync<bool>("b => b.getBoundingClientRect().right <= b.closest('section').getBoundingClientRect().right"), "a button sticks out of its card");
        }

        Assert.Empty(violations);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.Screenshots, $"setup-{name}-{width}.png"), FullPage = true });
        await page.CloseAsync();
    }

    /// <summary>A job the organization App delivered for a personal account: its page says so at the top, with the button to the right App.</summary>
    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task A_job_through_the_wrong_App_says_so_on_its_page(int width)
    {
        var payload = Payloads.Queued(owner: 77, ownerLogin: "alice", type: "User", repository: "alice/project");
        payload["workflow_job"]!["id"] = 9001;
        var body = Payloads.Serialize(payload);
        var signed = Deliveries.Signed("workflow_job", body, "d-wrong-app");
        Assert.Equal(200, (await _ghfe!.SendAsync(
            body, (Ghfe.Webhook.Event.Header, "workflow_job"), (Ghfe.Webhook.Signature.Header, signed.Signature!), (Ghfe.Webhook.Event.DeliveryHeader, "d-wrong-app"),
            (Ghfe.Webhook.AppFits.TargetTypeHeader, "integration"), (Ghfe.Webhook.Headers.AppId, StubGitHub.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Status);

        var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 800 } });
        var heading = page.GetByRole(AriaRole.Heading, new() { Name = "Wrong GitHub App: the organization App is installed on a personal account: install the personal App" });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            // The delivery log writes off the answer's path: the page says it once its row is in.
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the job's page never said it came through the wrong App");
            await page.GotoAsync(new Uri(_ghfe.Address, $"/jobs/9001?token={Token}").ToString());
        }
        while (!await heading.IsVisibleAsync());

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Install the personal App" })).ToHaveAttributeAsync("href", "https://github.com/apps/rise-risc-v-runners-personal/installations/new");
        Assert.True(await page.EvaluateAsync<bool>($"() => document.documentElement.scrollWidth <= {width}"), "the page does not scroll sideways");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.Screenshots, $"job-wrong-app-{width}.png"), FullPage = true });
        await page.CloseAsync();
    }
}
