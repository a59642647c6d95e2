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

    private static string Html(string page, object view, string environment, int refresh) =>
        Renderer.Render(page, view, body => new Layout(page, page, environment, refresh, Durations.Utc(SampleData.Now), "/usage", "/history", "/routing", "/deliveries", $"/{page}.json", body));

    [Fact]
    public void Usage_html() => Snapshot.Match(Html("usage", Usage(), "Prod", 15));

    [Fact]
    public void Usage_html_when_nothing_is_active() => Snapshot.Match(Html("usage", Usage([]), "Prod", 15));

    [Fact]
    public void Usage_json() => Snapshot.Match(PageJson.Serialize(Usage()));

    [Fact]
    public void History_html() => Snapshot.Match(Html("history", History(), "Staging", 0));

    [Fact]
    public void History_html_when_no_job_is_found() => Snapshot.Match(Html("history", History(new HistoryData([], [], [])), "Staging", 0));

    [Fact]
    public void History_json() => Snapshot.Match(PageJson.Serialize(History()));

    private static DeliveriesView Deliveries() => DeliveriesView.Build(
        false,
        new DeliveriesQuery(SampleData.Filter.Start, SampleData.Filter.End, null, null, null, null, 0, 2),
        [new IgnoredLabels(["ubuntu-26.04-riscv"], 12), new IgnoredLabels([SampleData.HostileLabel], 1)],
        [
            new DeliveryEntry("d-1", SampleData.Now.AddMinutes(-1), "workflow_job", "queued", 101, 21003710, "pytorch", "pytorch/pytorch",
                ["linux.riscv64.xlarge"], DeliveryOutcome.Stored, 200, 3.2, "10.0.0.7", InstallationId: 3456996),
            new DeliveryEntry(null, SampleData.Now.AddMinutes(-2), null, null, null, null, null, null, null,
                DeliveryOutcome.InvalidSignature, 401, 0.4, "203.0.113.9", 1234, new UnsignedSamples(["d-2", "<b>d-3</b>"], ["curl/8.5.0"])),
        ],
        "/deliveries");

    [Fact]
    public void Deliveries_html() => Snapshot.Match(Html("deliveries", Deliveries(), "Staging", 0));

    [Fact]
    public void A_token_given_in_the_query_goes_on_with_every_link()
    {
        var view = DeliveriesView.Build(
            false,
            new DeliveriesQuery(SampleData.Filter.Start, SampleData.Filter.End, null, null, null, null, 0, 2),
            [],
            [new DeliveryEntry("d-9", SampleData.Now, "workflow_job", "queued", 109, 42, "someone", "someone/project", ["ubuntu-26.04-riscv"], DeliveryOutcome.NoMatchingRule, 200, 1.0, null)],
            "/deliveries");
        var html = Renderer.Render("deliveries", view, body => new Layout("d", "deliveries", "Staging", 0, "now", "/usage", "/history", "/routing", "/deliveries", "/deliveries.json", body), "s3 cret");

        Assert.Matches("href=\"/routing/explain\\?owner=42&amp;repo=someone%2Fproject&amp;labels=ubuntu-26.04-riscv&amp;token=s3%20cret\">why\\?</a>", html);
        Assert.Matches("href=\"/jobs/[0-9]+\\?token=s3%20cret\"", html);
        Assert.Contains("<input type=\"hidden\" name=\"token\" value=\"s3 cret\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_html_for_an_ignored_job() =>
        Snapshot.Match(Html("delivery", DeliveryView.Build(
            false,
            "72d3162e-cc78-11e3-81ab-4c9367dc0958",
            [new DeliveryEntry("72d3162e-cc78-11e3-81ab-4c9367dc0958", SampleData.Now, "workflow_job", "queued", 109, 134263123, "ggml-org", "ggml-org/llama.cpp",
                ["ubuntu-24.04-risv"], DeliveryOutcome.NoMatchingRule, 200, 1.5, "140.82.115.1")],
            Support.ShippedRouting.Staging.Routing), "Staging", 0));

    [Fact]
    public void Deliveries_json() => Snapshot.Match(PageJson.Serialize(Deliveries()));

    [Fact]
    public void Routing_html() =>
        Snapshot.Match(Html("routing", RoutingView.Build(false, Support.ShippedRouting.Staging, "e834af99d1a7cdb6"), "Staging", 0));

    [Fact]
    public void Explain_html_for_a_miss() =>
        Snapshot.Match(Html("explain", Ghfe.Routing.Explainer.Explain(Support.ShippedRouting.Staging.Routing, 134263123, "ggml-org/llama.cpp", ["ubuntu-24.04-riscv", "gpu"]), "Staging", 0));

    [Fact]
    public void Explain_json_for_a_match() =>
        Snapshot.Match(PageJson.Serialize(Ghfe.Routing.Explainer.Explain(Support.ShippedRouting.Staging.Routing, 21003710, "pytorch/pytorch", ["linux.riscv64.xlarge"])));

    [Fact]
    public void Values_are_escaped_by_construction()
    {
        var html = Html("usage", Usage(), "Prod", 15) + Html("history", History(), "Staging", 0) + Html("deliveries", Deliveries(), "Staging", 0);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("linux.riscv64.xlarge&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_pages_say_so()
    {
        var usage = Html("usage", Usage([]), "Prod", 15);
        Assert.Contains("No active pools:", usage, StringComparison.Ordinal);
        Assert.Contains("are in <a href=\"/history\">History</a>", usage, StringComparison.Ordinal);
        Assert.Contains("No jobs found.", Html("history", History(new HistoryData([], [], [])), "Staging", 0), StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_hour_renders_whole()
    {
        var jobs = Enumerable.Range(0, 2500)
            .Select(i => new ActiveJob(i, i % 2 == 0 ? "pending" : "running", 1 + (i % 3), $"entity-{i % 3}", ["ubuntu-24.04-riscv"], "scw-em-rv1", "o/r", null, SampleData.Now.AddSeconds(-i)))
            .ToArray();

        var html = Html("usage", Usage(jobs), "Prod", 15);

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
