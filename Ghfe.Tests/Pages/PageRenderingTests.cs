using Ghfe.Pages;
using Ghfe.Store;
using Ghfe.Webhook;
using Snapshooter;
using Snapshooter.Xunit;

namespace Ghfe.Tests.Pages;

/// <summary>The shipped templates over a fixed dataset and clock: reviewed snapshots of HTML and JSON.</summary>
public class PageRenderingTests
{
    private static readonly PageRenderer Renderer = PageRenderer.Load(PageRenderer.ShippedDirectory);

    private static UsageView Usage(IReadOnlyList<ActiveJob>? jobs = null) =>
        UsageView.Build(prod: true, SampleData.Now, jobs ?? SampleData.Jobs, SampleData.CountsOf(jobs ?? SampleData.Jobs), jobs is null ? SampleData.Workers : [], refresh: true, "/usage");

    private static HistoryView History(HistoryData? data = null) =>
        HistoryView.Build(false, SampleData.Now, SampleData.Filter, data ?? SampleData.History, "/history", null);

    /// <summary>A page as served: its template inside production's layout, through the handler's own <see cref="PageLayouts"/>.</summary>
    private static string Html<T>(string page, T view, Func<RawHtml, Layout> layout)
        where T : notnull =>
        Renderer.Render(page, view, layout);

    private static string Html(UsageView view) => Html("usage", view, PageLayouts.Usage(view, null));

    private static string Html(HistoryView view) => Html("history", view, PageLayouts.History(view, SampleData.Filter, null));

    private static string Html(DeliveriesView view) => Html("deliveries", view, PageLayouts.Deliveries(view, SampleData.Now, null, "/deliveries.json"));

    [Fact]
    public void Usage_html() => Snapshot.Match(Html(Usage()));

    [Fact]
    public void Usage_html_when_nothing_is_active() => Snapshot.Match(Html(Usage([])));

    [Fact]
    public void Usage_json() => Snapshot.Match(PageJson.Serialize(Usage()));

    [Fact]
    public void History_html() => Snapshot.Match(Html(History()));

    [Fact]
    public void History_html_when_no_job_is_found() => Snapshot.Match(Html(History(new HistoryData([], [], []))));

    [Fact]
    public void History_json() => Snapshot.Match(PageJson.Serialize(History()));

    private static DeliveriesView Deliveries() => DeliveriesView.Build(
        false,
        new DeliveriesQuery(SampleData.Filter.Start, SampleData.Filter.End, null, null, null, null, 0, 3),
        [new IgnoredLabels(["ubuntu-26.04-riscv"], 12), new IgnoredLabels([SampleData.HostileLabel], 1)],
        [
            new DeliveryEntry("d-1", SampleData.Now.AddMinutes(-1), "workflow_job", "queued", 101, 21003710, "pytorch", "pytorch/pytorch",
                ["linux.riscv64.xlarge"], DeliveryOutcome.Stored, 200, 3.2, "10.0.0.7", InstallationId: 3456996),
            new DeliveryEntry(null, SampleData.Now.AddMinutes(-2), null, null, null, null, null, null, null,
                DeliveryOutcome.InvalidSignature, 401, 0.4, "203.0.113.9", 1234, new UnsignedSamples(["d-2", "<b>d-3</b>"], ["curl/8.5.0"])),
            new DeliveryEntry("d-4", SampleData.Now.AddMinutes(-3), "workflow_job", "queued", 104, 42, "someone", "someone/project",
                ["ubuntu-24.04-riscv"], DeliveryOutcome.Stored, 200, 2.1, "140.82.115.1", AppId: SampleData.Apps.Organization, OwnerType: "User"),
        ],
        "/deliveries",
        SampleData.Apps);

    [Fact]
    public void Deliveries_html() => Snapshot.Match(Html(Deliveries()));

    [Fact]
    public void A_token_given_in_the_query_goes_on_with_every_link()
    {
        var view = DeliveriesView.Build(
            false,
            new DeliveriesQuery(SampleData.Filter.Start, SampleData.Filter.End, null, null, null, null, 0, 2),
            [],
            [new DeliveryEntry("d-9", SampleData.Now, "workflow_job", "queued", 109, 42, "someone", "someone/project", ["ubuntu-26.04-riscv"], DeliveryOutcome.NoMatchingRule, 200, 1.0, null)],
            "/deliveries",
            SampleData.Apps);
        var html = Renderer.Render("deliveries", view, PageLayouts.Deliveries(view, SampleData.Now, "s3 cret", "/deliveries.json?token=s3%20cret"), "s3 cret");

        Assert.Matches("href=\"/routing/explain\\?owner=42&amp;repo=someone%2Fproject&amp;labels=ubuntu-26.04-riscv&amp;token=s3%20cret\">why\\?</a>", html);
        Assert.Matches("href=\"/jobs/[0-9]+\\?token=s3%20cret\"", html);
        Assert.Contains("<input type=\"hidden\" name=\"token\" value=\"s3 cret\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_html_for_an_ignored_job()
    {
        var view = DeliveryView.Build(
            false,
            "72d3162e-cc78-11e3-81ab-4c9367dc0958",
            [new DeliveryEntry("72d3162e-cc78-11e3-81ab-4c9367dc0958", SampleData.Now, "workflow_job", "queued", 109, 134263123, "ggml-org", "ggml-org/llama.cpp",
                ["ubuntu-24.04-risv"], DeliveryOutcome.NoMatchingRule, 200, 1.5, "140.82.115.1")],
            Support.ShippedRouting.Staging.Routing,
            SampleData.Apps);
        Snapshot.Match(Html("delivery", view, PageLayouts.Delivery(view, SampleData.Now, null)));
    }

    [Fact]
    public void Deliveries_json() => Snapshot.Match(PageJson.Serialize(Deliveries()));

    [Fact]
    public void Routing_html()
    {
        var view = RoutingView.Build(false, Support.ShippedRouting.Staging, "e834af99d1a7cdb6");
        Snapshot.Match(Html("routing", view, PageLayouts.Routing(view, SampleData.Now, null)));
    }

    [Fact]
    public void Explain_html_for_a_miss() =>
        Snapshot.Match(Html(
            "explain",
            Ghfe.Routing.Explainer.Explain(Support.ShippedRouting.Staging.Routing, 134263123, "ggml-org/llama.cpp", ["ubuntu-24.04-riscv", "gpu"]),
            PageLayouts.Explain("Staging", SampleData.Now, null, "/routing/explain.json?owner=134263123&repo=ggml-org%2Fllama.cpp&labels=ubuntu-24.04-riscv,gpu")));

    [Fact]
    public void Error_html_when_the_database_does_not_answer()
    {
        var view = new ErrorView(503, "Not available right now", "Database unavailable: the page cannot be shown right now.");
        Snapshot.Match(Html("error", view, PageLayouts.Error(view, "Prod", SampleData.Now, null)));
    }

    [Fact]
    public void Explain_json_for_a_match() =>
        Snapshot.Match(PageJson.Serialize(Ghfe.Routing.Explainer.Explain(Support.ShippedRouting.Staging.Routing, 21003710, "pytorch/pytorch", ["linux.riscv64.xlarge"])));

    [Fact]
    public void Values_are_escaped_by_construction()
    {
        var html = Html(Usage()) + Html(History()) + Html(Deliveries());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("linux.riscv64.xlarge&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_pages_say_so()
    {
        var usage = Html(Usage([]));
        Assert.Contains("No active pools:", usage, StringComparison.Ordinal);
        Assert.Contains("are in <a href=\"/history\">History</a>", usage, StringComparison.Ordinal);
        Assert.Contains("No jobs found.", Html(History(new HistoryData([], [], []))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_hour_renders_whole()
    {
        var jobs = Enumerable.Range(0, 2500)
            .Select(i => new ActiveJob(i, i % 2 == 0 ? "pending" : "running", 1 + (i % 3), $"entity-{i % 3}", ["ubuntu-24.04-riscv"], "scw-em-rv1", "o/r", null, SampleData.Now.AddSeconds(-i)))
            .ToArray();

        var html = Html(Usage(jobs));

        Assert.Equal(2500, html.Split("class=\"badge status-").Length - 1);
    }

    [Fact]
    public void A_broken_template_stops_start_up_with_its_name()
    {
        var directory = Directory.CreateTempSubdirectory("ghfe-templates-");
        try
        {
            foreach (var file in Directory.GetFiles(PageRenderer.ShippedDirectory))
            {
                File.Copy(file, Path.Combine(directory.FullName, Path.GetFileName(file)));
            }

            File.AppendAllText(Path.Combine(directory.FullName, "usage.html"), "{{ for x in }}");
            var failure = Assert.Throws<InvalidOperationException>(() => PageRenderer.Load(directory.FullName));
            Assert.Contains("usage.html", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
