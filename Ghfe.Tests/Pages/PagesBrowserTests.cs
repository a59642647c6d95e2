using Ghfe.Tests.Support;
using Microsoft.Playwright;

namespace Ghfe.Tests.Pages;

/// <summary>Both pages of a running ghfe in headless Chromium (Debian's), as an operator sees them.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class PagesBrowserTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private HeadlessChromium? _chromium;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeededGhfe.SeedAsync(Ghfe, Database);
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Every page, the error page among them (a 400 shown to a browser), with the status each answers.</summary>
    private static readonly (string Path, int Status)[] AllPages =
    [
        ("/usage?refresh=0", 200), ("/history", 200), ("/deliveries", 200), ("/routing", 200),
        ("/routing/explain?owner=42&repo=someone/project&labels=ubuntu-26.04-riscv", 200),
        ($"/routing/explain?owner=152654596&repo=riseproject-dev/executorch&labels=self-hosted,{SeededGhfe.OversizedLabel}", 200),
        ("/jobs/8000001", 200), ("/jobs/8000012", 200), ("/jobs/8100000", 200), ("/jobs/999", 404),
        ($"/deliveries/{SeededGhfe.IgnoredDelivery}", 200), ("/jobs/not-a-job", 400),
    ];

    /// <summary>The pages that show the job of <see cref="SeededGhfe.OversizedLabel"/>.</summary>
    private static readonly string[] ShowsTheOversizedLabel =
        ["/usage?refresh=0", "/deliveries", "/jobs/8000012", $"/routing/explain?owner=152654596&repo=riseproject-dev/executorch&labels=self-hosted,{SeededGhfe.OversizedLabel}"];

    private async Task<(IPage Page, List<string> Dialogs)> Open(string path, int width, int height, int status = 200)
    {
        var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        var response = await page.GotoAsync(new Uri(Ghfe.Address, path).ToString());
        Assert.Equal(status, response!.Status);
        return (page, dialogs);
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Usage_reads_well_and_a_hostile_label_stays_text(int width, int height)
    {
        var (page, dialogs) = await Open("/usage?refresh=0", width, height);

        Assert.Equal("Usage · ghfe Staging", await page.TitleAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pools" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ggml-org" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("rv-ggml-b2")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(SeededGhfe.HostileLabel).First).ToBeAttachedAsync();
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(dialogs);
        Assert.True(await page.EvaluateAsync<bool>($"() => document.documentElement.scrollWidth <= {width}"), "the page does not scroll sideways");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.Screenshots, $"usage-{width}.png"), FullPage = width < 600 });
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task History_reads_well_and_a_hostile_label_stays_text(int width, int height)
    {
        var (page, dialogs) = await Open("/history", width, height);

        Assert.Equal("History · ghfe Staging", await page.TitleAsync());
        await Assertions.Expect(page.GetByText("30 jobs", new() { Exact = false }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "By entity and pool" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg.chart rect")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "pytorch/pytorch#8000000" })).ToBeAttachedAsync();
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(dialogs);
        Assert.True(await page.EvaluateAsync<bool>($"() => document.documentElement.scrollWidth <= {width}"), "the page does not scroll sideways");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.Screenshots, $"history-{width}.png"), FullPage = width < 600 });
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Deliveries_show_the_ignored_and_a_hostile_label_stays_text(int width, int height)
    {
        var (page, dialogs) = await Open("/deliveries", width, height);

        Assert.Equal("Deliveries · ghfe Staging", await page.TitleAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ignored: labels no rule routes" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("ubuntu-26.04-riscv").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(SeededGhfe.HostileLabel).First).ToBeAttachedAsync();
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(dialogs);
        Assert.True(await page.EvaluateAsync<bool>($"() => document.documentElement.scrollWidth <= {width}"), "the page does not scroll sideways");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.Screenshots, $"deliveries-{width}.png"), FullPage = width < 600 });
    }

    /// <summary>
    /// Every table of every page fits its box and no page scrolls sideways, on a phone, a laptop or
    /// a wide screen: measured against the width set (a phone's viewport widens itself to fit
    /// what overflows, so its own innerWidth would hide it). Pills and job ids stay on one line; label chips wrap at a
    /// space or hyphen only, and one word wider than its cell ends in an ellipsis, whole in the chip's title; an image
    /// name wraps after a / : or - only.
    /// </summary>
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 800)]
    [InlineData(1920, 1080)]
    public async Task Every_page_fits_its_width(int width, int height)
    {
        var overflows = new List<string>();
        foreach (var (path, status) in AllPages)
        {
            var (page, _) = await Open(path, width, height, status);
            var tables = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('table')]
                    .filter(table => table.scrollWidth > table.parentElement.clientWidth + 1)
                    .map(table => `${table.closest('section')?.querySelector('h2')?.textContent ?? 'a table'}: ${table.scrollWidth} px in ${table.parentElement.clientWidth}`)
                """);
            overflows.AddRange(tables.Select(table => $"{path} at {width} px, {table}"));
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (scrollWidth > width)
            {
                overflows.Add($"{path} at {width} px: the page scrolls sideways ({scrollWidth} px wide)");
            }

            var wrapped = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('.badge, span.nowrap')]
                    .filter(e => e.getClientRects().length > 1
                        || e.getBoundingClientRect().height > parseFloat(getComputedStyle(e).lineHeight || '0') * 1.5 + 8)
                    .map(e => `"${e.textContent}" wraps (${e.getClientRects().length} boxes, ${Math.round(e.getBoundingClientRect().height)} px high)`)
                """);
            overflows.AddRange(wrapped.Select(text => $"{path} at {width} px: {text}"));
            var brokenLabels = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('code.label')]
                    .map(e => { const text = document.createRange(); text.selectNodeContents(e); return [e, new Set([...text.getClientRects()].map(r => Math.round(r.top))).size]; })
                    .filter(([e, lines]) => (lines > 1 && !/[ -]/.test(e.textContent)) || (e.firstElementChild.scrollWidth > e.firstElementChild.clientWidth && e.title !== e.textContent))
                    .map(([e, lines]) => `label "${e.textContent}" breaks inside a word or is cut without its title (${lines} lines, ${e.firstElementChild.scrollWidth} px in ${e.firstElementChild.clientWidth})`)
                """);
            overflows.AddRange(brokenLabels.Select(text => $"{path} at {width} px: {text}"));
            var brokenImages = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('code.image > span')].flatMap(span => {
                    const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
                    const breaks = [];
                    let previous = null;
                    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                        for (let i = 0; i < node.length; i++) {
                            const range = document.createRange();
                            range.setStart(node, i);
                            range.setEnd(node, i + 1);
                            const top = Math.round(range.getBoundingClientRect().top);
                            if (previous && top > previous.top && !'/:-'.includes(previous.char)) {
                                breaks.push(`image "${span.textContent}" breaks inside a part, before "${node.data.slice(i)}"`);
                            }
                            previous = { top, char: node.data[i] };
                        }
                    }
                    return breaks;
                })
                """);
            overflows.AddRange(brokenImages.Select(text => $"{path} at {width} px: {text}"));
            if (path == "/jobs/8000012" && await page.Locator("code.image", new() { HasText = SeededGhfe.LongPod }).CountAsync() == 0)
            {
                overflows.Add($"{path} at {width} px: the runner's pod is not shown");
            }

            if (ShowsTheOversizedLabel.Contains(path) && await page.Locator("code.label", new() { HasText = SeededGhfe.OversizedLabel }).CountAsync() == 0)
            {
                overflows.Add($"{path} at {width} px: the oversized label is not shown");
            }

            var name = path.TrimStart('/').Split('?')[0].Replace('/', '-') + (path.Contains(SeededGhfe.OversizedLabel, StringComparison.Ordinal) ? "-oversized" : string.Empty);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.Screenshots, $"fit-{name}-{width}.png"), FullPage = true });
            await page.CloseAsync();
        }

        Assert.True(overflows.Count == 0, string.Join(Environment.NewLine, overflows));
    }

    [Fact]
    public async Task The_outcome_of_a_delivery_is_whole_and_the_filter_hint_does_not_look_filled()
    {
        var (page, _) = await Open("/deliveries", 1280, 800);

        var outcome = page.Locator("td.outcome").First;
        Assert.True(await outcome.EvaluateAsync<bool>("cell => cell.scrollWidth <= cell.clientWidth"), "the outcome is cut");
        var filter = page.GetByLabel("Outcome");
        Assert.Equal(string.Empty, await filter.InputValueAsync());
        await filter.SelectOptionAsync("no_matching_rule");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("outcome=no_matching_rule"));
        Assert.Equal("no_matching_rule", await page.GetByLabel("Outcome").InputValueAsync());
        var (value, hint) = await page.GetByRole(AriaRole.Textbox, new() { Name = "Owner" }).EvaluateAsync<string[]>("""
            input => [getComputedStyle(input).color, getComputedStyle(input, '::placeholder').color]
            """) switch { var colours => (colours[0], colours[1]) };
        Assert.NotEqual(value, hint);
    }

    /// <summary>
    /// Under the pages' Content-Security-Policy every page looks as it did (the style sheet
    /// applies, by its hash) with no violation reported, and the job search still works.
    /// </summary>
    [Fact]
    public async Task Every_page_keeps_its_looks_under_the_content_security_policy()
    {
        var violations = new List<string>();
        foreach (var (path, _) in AllPages)
        {
            var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{path}: console: {message.Text}");
                }
            };
            await page.AddInitScriptAsync("""
                window.__violations = [];
                document.addEventListener('securitypolicyviolation', e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
                """);
            var response = await page.GotoAsync(new Uri(Ghfe.Address, path).ToString());
            Assert.Contains("frame-ancestors 'none'", await response!.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            violations.AddRange((await page.EvaluateAsync<string[]>("() => window.__violations")).Select(v => $"{path}: {v}"));
            Assert.Equal("flex", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header.top')).display"));
            Assert.Equal("1800px", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('main')).maxWidth"));
            await page.CloseAsync();
        }

        var history = await _chromium!.Browser.NewPageAsync();
        await history.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
            """);
        await history.GotoAsync(new Uri(Ghfe.Address, "/history").ToString());

        // The listener hears a violation: an inline style attribute added now is refused.
        await history.EvaluateAsync("() => document.body.insertAdjacentHTML('beforeend', '<p id=\"probe\" style=\"color: rgb(255, 0, 0)\">probe</p>')");
        await Assertions.Expect(history.Locator("#probe")).Not.ToHaveCSSAsync("color", "rgb(255, 0, 0)");
        Assert.Contains("style-src-attr", await history.EvaluateAsync<string[]>("() => window.__violations"));

        var swatch = history.Locator(".legend svg.swatch").First;
        Assert.Equal(12, (int)Math.Round((await swatch.BoundingBoxAsync())!.Width));
        var search = history.GetByRole(AriaRole.Searchbox, new() { Name = "Find a job by its id or URL, or a delivery by its id" });
        await search.FillAsync("8000001");
        await history.Keyboard.PressAsync("Enter");
        await Assertions.Expect(history).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/jobs/8000001$"));
        await Assertions.Expect(history).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Job 8000001"));
        await history.GetByRole(AriaRole.Searchbox, new() { Name = "Find a job by its id or URL, or a delivery by its id" }).FillAsync(SeededGhfe.IgnoredDelivery);
        await history.Keyboard.PressAsync("Enter");
        await Assertions.Expect(history).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/deliveries/{SeededGhfe.IgnoredDelivery}$"));
        await Assertions.Expect(history.GetByRole(AriaRole.Heading, new() { Name = "Why no rule routed it" })).ToBeVisibleAsync();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task The_filter_form_narrows_the_history()
    {
        var (page, _) = await Open("/history", 1280, 800);

        await page.GetByLabel("Entity").FillAsync("ggml-org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("entity=ggml-org"));
        await Assertions.Expect(page.GetByText("6 jobs", new() { Exact = false }).First).ToBeVisibleAsync();
    }
}
