using Ghfe.History;

namespace Ghfe.Pages;

/// <summary>
/// Each page's chrome: its title, its tab, its JSON twin. The handlers and the page snapshots both
/// render through these, so a snapshot shows the page as it is served.
/// </summary>
public static class PageLayouts
{
    public static Func<RawHtml, Layout> Usage(UsageView view, string? token) =>
        body => Layout.Of("Usage", "usage", view.Environment, view.GeneratedAt, token, "/usage.json", body, view.RefreshSeconds);

    public static Func<RawHtml, Layout> History(HistoryView view, HistoryFilter filter, string? token) =>
        body => Layout.Of("History", "history", view.Environment, view.GeneratedAt, token, "/history.json?" + filter.QueryFor(filter.Page, token), body);

    /// <param name="jsonUrl">/deliveries.json with the request's own filter.</param>
    public static Func<RawHtml, Layout> Deliveries(DeliveriesView view, DateTimeOffset now, string? token, string jsonUrl) =>
        body => Layout.Of("Deliveries", "deliveries", view.Environment, now, token, jsonUrl, body);

    public static Func<RawHtml, Layout> Delivery(DeliveryView view, DateTimeOffset now, string? token) =>
        body => Layout.Of("Delivery", "deliveries", view.Environment, now, token, $"/deliveries/{Uri.EscapeDataString(view.DeliveryId)}.json", body);

    public static Func<RawHtml, Layout> Job(JobView view, DateTimeOffset now, string? token) =>
        body => Layout.Of($"Job {view.JobId}", "job", view.Environment, now, token, $"/jobs/{view.JobId}.json", body);

    public static Func<RawHtml, Layout> Routing(RoutingView view, DateTimeOffset now, string? token) =>
        body => Layout.Of("Routing", "routing", view.Environment, now, token, "/routing.json", body);

    /// <param name="jsonUrl">/routing/explain.json with the request's own owner, repository and labels.</param>
    public static Func<RawHtml, Layout> Explain(string environment, DateTimeOffset now, string? token, string jsonUrl) =>
        body => Layout.Of("Routing explained", "routing", environment, now, token, jsonUrl, body);

    /// <param name="jsonUrl">/setup/org.json or /setup/personal.json with the request's own installation id.</param>
    public static Func<RawHtml, Layout> Setup(SetupView view, DateTimeOffset now, string? token, string jsonUrl) =>
        body => Layout.Of("Setup", "setup", view.Environment, now, token, jsonUrl, body);

    /// <summary>A 400 or 503 shown to a browser: titled by its headline, under no tab, with no JSON twin.</summary>
    public static Func<RawHtml, Layout> Error(ErrorView view, string environment, DateTimeOffset now, string? token) =>
        body => Layout.Of(view.Headline, "error", environment, now, token, string.Empty, body);
}
