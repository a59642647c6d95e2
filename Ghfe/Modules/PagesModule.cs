using Carter;
using Ghfe.Configuration;
using Ghfe.History;
using Ghfe.Pages;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Modules;

/// <summary>
/// <c>/usage</c> (where <c>GET /</c> leads), <c>/history</c>, <c>/deliveries</c>, <c>/deliveries/{id}</c> and <c>/jobs/{id}</c>, as HTML (Scriban) and as JSON (<c>.json</c> or
/// <c>Accept: application/json</c>). Each handler: parse the query, read the store (through the pages' own pool), build the view, negotiate.
/// </summary>
public sealed class PagesModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var pages = app.MapPages();
        pages.MapGet("/", Home);
        pages.MapGet("/usage", Usage);
        pages.MapGet("/usage.json", Usage);
        pages.MapGet("/history", History);
        pages.MapGet("/history.json", History);
        pages.MapGet("/deliveries", Deliveries);
        pages.MapGet("/deliveries.json", Deliveries);
        pages.MapGet("/deliveries/{id}", Delivery);
        pages.MapGet("/jobs/{id}", Job);
        pages.MapGet("/jobs", FindJob);
    }

    /// <summary>The first address people try in a browser: the pages start at /usage (<c>POST /</c> is the webhook).</summary>
    private static IResult Home(HttpRequest request) =>
        Results.Redirect("/usage" + Links.TokenQuery(PageAccess.QueryToken(request)));

    private static Task<IResult> Usage(HttpContext http, GhfeSettings settings, PagesDataSource store, DatabaseState database, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken) =>
        PageResults.ServeAsync(
            UsageQuery.Parse(PageResults.Parameters(http.Request)),
            _ => PageQueries.UsageAsync(store.Source, database.Generation, cancellationToken),
            (query, data) =>
            {
                var token = PageAccess.QueryToken(http.Request);
                var view = UsageView.Build(settings.Prod, clock.GetUtcNow(), data.Jobs, data.JobCounts, data.Workers, query.Refresh, "/usage" + Links.TokenQuery(token));
                return PageResults.Negotiate(http.Request, pages, "usage", view, PageLayouts.Usage(view, token));
            });

    private static Task<IResult> History(HttpContext http, GhfeSettings settings, PagesDataSource store, DatabaseState database, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return PageResults.ServeAsync(
            HistoryQuery.Parse(PageResults.Parameters(http.Request), now),
            filter => PageQueries.HistoryAsync(store.Source, filter, database.Generation, cancellationToken),
            (filter, data) =>
            {
                var token = PageAccess.QueryToken(http.Request);
                var view = HistoryView.Build(settings.Prod, now, filter, data, http.Request.Path.Value ?? "/history", token);
                http.Response.Headers.Link = view.LinkHeader();
                return PageResults.Negotiate(http.Request, pages, "history", view, PageLayouts.History(view, filter, token));
            });
    }

    private static Task<IResult> Deliveries(HttpContext http, GhfeSettings settings, PagesDataSource store, AppIds apps, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return PageResults.ServeAsync(
            DeliveriesQuery.Parse(PageResults.Parameters(http.Request), now),
            query => PageQueries.DeliveriesAsync(store.Source, query.ToFilter(), cancellationToken),
            (query, data) =>
            {
                var view = DeliveriesView.Build(settings.Prod, query, data.Ignored, data.Deliveries, http.Request.Path.Value ?? "/deliveries", apps);
                return PageResults.Negotiate(http.Request, pages, "deliveries", view,
                    PageLayouts.Deliveries(view, now, PageAccess.QueryToken(http.Request), PageResults.JsonTwin("/deliveries.json", http.Request)));
            });
    }

    /// <summary>One job: its row, its deliveries, why it was ignored; 404 with advice when no delivery of it ever arrived.</summary>
    private static Task<IResult> Job(string id, HttpContext http, GhfeSettings settings, PagesDataSource store, DatabaseState database, LiveRouting routing, AppIds apps, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken) =>
        OneAsync(
            http,
            pages,
            "job",
            JobQuery.Parse(id),
            jobId => PageQueries.JobAsync(store.Source, jobId, database.Generation, cancellationToken),
            (jobId, data) => JobView.Build(settings.Prod, jobId, data, routing.Current.Webhook.Routing, apps, routing.Current.Webhook.Admission),
            view => view.Known,
            (view, token) => PageLayouts.Job(view, clock.GetUtcNow(), token));

    /// <summary>One delivery by the id GitHub's Recent Deliveries shows; 404 with advice when the log holds none.</summary>
    private static Task<IResult> Delivery(string id, HttpContext http, GhfeSettings settings, PagesDataSource store, LiveRouting routing, AppIds apps, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken) =>
        OneAsync(
            http,
            pages,
            "delivery",
            DeliveryQuery.Parse(id),
            deliveryId => PageQueries.DeliveryAsync(store.Source, deliveryId, cancellationToken),
            (deliveryId, data) => DeliveryView.Build(settings.Prod, deliveryId, data, routing.Current.Webhook.Routing, apps, routing.Current.Webhook.Admission),
            view => view.Known,
            (view, token) => PageLayouts.Delivery(view, clock.GetUtcNow(), token));

    /// <summary>
    /// The shape of a page about one thing named in its path (a job, a delivery): the id parsed (and a
    /// query string that has nothing to say), the store read, the view built; a 404 page when the store knows none.
    /// </summary>
    private static Task<IResult> OneAsync<TId, TData, TView>(
        HttpContext http,
        PageRenderer pages,
        string template,
        LanguageExt.Either<string, TId> id,
        Func<TId, Task<TData>> read,
        Func<TId, TData, TView> build,
        Func<TView, bool> known,
        Func<TView, string?, Func<RawHtml, Layout>> layout)
        where TData : class
        where TView : notnull =>
        PageResults.ServeAsync(
            QueryReader.Read(PageResults.Parameters(http.Request)).Bind(_ => id),
            read,
            (parsed, data) =>
            {
                var view = build(parsed, data);
                return PageResults.Negotiate(http.Request, pages, template, view, layout(view, PageAccess.QueryToken(http.Request)),
                    known(view) ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
            });

    /// <summary>
    /// The header's search box: <c>/jobs?id=…</c> goes to that job's page (an id, "#id" or a job's URL),
    /// or to that delivery's when it is a delivery id (a GUID).
    /// </summary>
    private static IResult FindJob(HttpRequest request)
    {
        var token = Links.TokenQuery(PageAccess.QueryToken(request));
        return QueryReader.Read(PageResults.Parameters(request), "id").Match(
            Right: read => read.Text("id") is var text && DeliveryQuery.IsDeliveryId(text)
                ? Results.Redirect($"/deliveries/{Uri.EscapeDataString(text!.Trim())}{token}")
                : JobQuery.Parse(text).Match(
                    Right: jobId => Results.Redirect($"/jobs/{jobId}{token}"),
                    Left: problem => PageResults.BadRequest($"{problem}; or a delivery id, as in 72d3162e-cc78-11e3-81ab-4c9367dc0958")),
            Left: PageResults.BadRequest);
    }
}
