using System.Text.RegularExpressions;
using Ghfe.Pages;
using Ghfe.Store;
using Ghfe.Webhook;
using Xunit.Abstractions;

namespace Ghfe.Tests.Pages;

/// <summary>A page too long to show whole stops its rows and shortens its values, and is still a whole document.</summary>
public sealed partial class PageLengthTests(ITestOutputHelper output)
{
    private static readonly PageRenderer Renderer = PageRenderer.Load(PageRenderer.ShippedDirectory);

    private static string Deliveries(int rows, Func<int, string[]> labels)
    {
        var entries = Enumerable.Range(0, rows).Select(i => new DeliveryEntry(
            $"{Guid.NewGuid()}", SampleData.Now.AddSeconds(-i), "workflow_job", "queued", 9_000_000 + i, 21003710, "pytorch", "pytorch/pytorch",
            labels(i), DeliveryOutcome.NoMatchingRule, 200, 2.5f, "140.82.115.1")).ToList();
        var view = DeliveriesView.Build(false, new DeliveriesQuery(SampleData.Filter.Start, SampleData.Filter.End, null, null, null, null, 0, 500), [], entries, "/deliveries", SampleData.Apps);
        return Renderer.Render("deliveries", view, PageLayouts.Deliveries(view, SampleData.Now, null, "/deliveries.json"));
    }

    [Fact]
    public void A_full_page_of_ordinary_deliveries_is_shown_whole()
    {
        var html = Deliveries(500, _ => ["linux.riscv64.xlarge", "self-hosted", "ubuntu-24.04-riscv"]);
        output.WriteLine($"500 ordinary deliveries: {html.Length:N0} characters (budget {HtmlTemplateContext.PageBudget:N0})");

        Assert.DoesNotContain("This page is shortened", html, StringComparison.Ordinal);
        Assert.Equal(500, Rows().Matches(html).Count);
        Assert.True(html.Length < HtmlTemplateContext.PageBudget / 2, $"{html.Length} characters");
    }

    [Fact]
    public void Rows_past_the_budget_are_left_out_and_the_document_still_ends()
    {
        var html = Deliveries(500, i => [$"label-{i}-" + new string('x', 3000), "self-hosted"]);
        var shown = Rows().Matches(html).Count;
        output.WriteLine($"500 deliveries with 3,000-character labels: {shown} rows shown, {html.Length:N0} characters");

        Assert.EndsWith("</html>", html.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("This page is shortened", html, StringComparison.Ordinal);
        Assert.InRange(shown, 100, 499);
        Assert.Equal(Regex.Count(html, "<table"), Regex.Count(html, "</table>"));
        Assert.InRange(html.Length, HtmlTemplateContext.PageBudget, HtmlTemplateContext.PageBudget + 100_000);
    }

    [Fact]
    public void A_value_too_long_to_show_ends_in_an_ellipsis_and_the_page_says_so()
    {
        var html = Deliveries(3, i => [i == 1 ? "huge-" + new string('y', 1_000_000) : "small"]);
        output.WriteLine($"one 1,000,005-character label: {html.Length:N0} characters");

        Assert.EndsWith("</html>", html.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("huge-" + new string('y', HtmlTemplateContext.MaxValueLength - 5) + "…</span></code>", html, StringComparison.Ordinal);
        Assert.Contains("This page is shortened: values over 4,000 characters end in “…”", html, StringComparison.Ordinal);
        Assert.Equal(3, Rows().Matches(html).Count);
        Assert.True(html.Length < 100_000, $"{html.Length} characters");
    }

    [GeneratedRegex("<td class=\"outcome nowrap\">")]
    private static partial Regex Rows();
}
