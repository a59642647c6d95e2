using Carter;
using Ghfe.Configuration;
using Ghfe.Pages;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Modules;

/// <summary><c>/usage</c> and <c>/history</c>, as HTML (Scriban) and as JSON (<c>.json</c> or <c>Accept: application/json</c>).</summary>
public sealed class PagesModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/usage", Usage);
        app.MapGet("/usage.json", Usage);
        app.MapGet("/history", History);
        app.MapGet("/history.json", History);
        app.MapGet("/deliveries", Deliveries);
        app.MapGet("/deliveries.json", Deliveries);
    }

    private static async Task<IResult> Usage(HttpContext http, GhfeSettings settings, NpgsqlDataSource dataSource, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (PageAccess.Deny(http.Request, settings.PagesToken) is { } denied)
        {
            return denied;
        }

        var query = http.Request.Query;
        var unknown = query.Keys.FirstOrDefault(key => key is not ("refresh" or "token"));
        if (unknown is not null)
        {
            return PageResults.BadRequest($"unknown parameter \"{unknown}\" (known: refresh)");
        }

        var refresh = query["refresh"].ToString() switch
        {
            "" or "1" or "true" => (bool?)true,
            "0" or "false" => false,
            _ => null,
        };
        if (refresh is null)
        {
            return PageResults.BadRequest($"refresh must be 0 or 1 (got \"{query["refresh"]}\")");
        }

        var token = PageAccess.QueryToken(http.Request);
        var (jobs, workers) = await ReadOrNull(() => PageQueries.ActiveAsync(dataSource, cancellationToken));
        if (jobs is null || workers is null)
        {
            return DatabaseDown();
        }

        var view = UsageView.Build(settings.Prod, clock.GetUtcNow(), jobs, workers, refresh.Value, "/usage" + Links.TokenQuery(token));
        return PageResults.Negotiate(http.Request, view, () => pages.Render("usage", view, body =>
            PageResults.Chrome("Usage", "usage", view.Environment, view.GeneratedAt, http.Request, "/usage.json", body, view.RefreshSeconds)));
    }

    private static async Task<IResult> History(HttpContext http, GhfeSettings settings, NpgsqlDataSource dataSource, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (PageAccess.Deny(http.Request, settings.PagesToken) is { } denied)
        {
            return denied;
        }

        var now = clock.GetUtcNow();
        return await HistoryFilter.Parse(PageResults.Parameters(http.Request), now).MatchAsync(
            RightAsync: async filter =>
            {
                var data = await ReadOrNull(() => PageQueries.HistoryAsync(dataSource, filter, cancellationToken));
                if (data is null)
                {
                    return DatabaseDown();
                }

                var token = PageAccess.QueryToken(http.Request);
                var view = HistoryView.Build(settings.Prod, now, filter, data, http.Request.Path.Value ?? "/history", token);
                http.Response.Headers.Link = view.LinkHeader();
                return PageResults.Negotiate(http.Request, view, () => pages.Render("history", view, body =>
                    PageResults.Chrome("History", "history", view.Environment, view.GeneratedAt, http.Request, "/history.json?" + filter.QueryFor(filter.Page, token), body)));
            },
            Left: PageResults.BadRequest);
    }

    private static async Task<IResult> Deliveries(HttpContext http, GhfeSettings settings, NpgsqlDataSource dataSource, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (PageAccess.Deny(http.Request, settings.PagesToken) is { } denied)
        {
            return denied;
        }

        var now = clock.GetUtcNow();
        return await DeliveriesQuery.Parse(PageResults.Parameters(http.Request), now).MatchAsync(
            RightAsync: async query =>
            {
                var (ignored, deliveries) = await ReadOrNull(() => PageQueries.DeliveriesAsync(dataSource, query, cancellationToken));
                if (ignored is null || deliveries is null)
                {
                    return DatabaseDown();
                }

                var view = DeliveriesView.Build(settings.Prod, query, ignored, deliveries, http.Request.Path.Value ?? "/deliveries");
                return PageResults.Negotiate(http.Request, view, () => pages.Render("deliveries", view, body =>
                    PageResults.Chrome("Deliveries", "deliveries", view.Environment, now, http.Request, "/deliveries.json" + http.Request.QueryString, body)));
            },
            Left: PageResults.BadRequest);
    }

    private static IResult DatabaseDown() =>
        Results.Text("Database unavailable: the page cannot be shown right now.", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static async Task<T?> ReadOrNull<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return default;
        }
    }
}
