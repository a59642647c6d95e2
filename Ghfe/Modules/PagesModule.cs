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
            return BadRequest($"unknown parameter \"{unknown}\" (known: refresh)");
        }

        var refresh = query["refresh"].ToString() switch
        {
            "" or "1" or "true" => (bool?)true,
            "0" or "false" => false,
            _ => null,
        };
        if (refresh is null)
        {
            return BadRequest($"refresh must be 0 or 1 (got \"{query["refresh"]}\")");
        }

        var token = PageAccess.QueryToken(http.Request);
        var (jobs, workers) = await ReadOrNull(() => PageQueries.ActiveAsync(dataSource, cancellationToken));
        if (jobs is null || workers is null)
        {
            return DatabaseDown();
        }

        var view = UsageView.Build(settings.Prod, clock.GetUtcNow(), jobs, workers, refresh.Value, "/usage" + Links.TokenQuery(token));
        return WantsJson(http.Request)
            ? Json(view)
            : Html(pages.Render("usage", view, body => Chrome("Usage", "usage", view.Environment, view.RefreshSeconds, view.GeneratedAtText, token, "/usage.json", body)));
    }

    private static async Task<IResult> History(HttpContext http, GhfeSettings settings, NpgsqlDataSource dataSource, PageRenderer pages, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (PageAccess.Deny(http.Request, settings.PagesToken) is { } denied)
        {
            return denied;
        }

        var now = clock.GetUtcNow();
        var parameters = http.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal);
        return await HistoryFilter.Parse(parameters, now).MatchAsync(
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
                return WantsJson(http.Request)
                    ? Json(view)
                    : Html(pages.Render("history", view, body => Chrome("History", "history", view.Environment, 0, view.GeneratedAtText, token, "/history.json?" + filter.QueryFor(filter.Page, token), body)));
            },
            Left: BadRequest);
    }

    private static Layout Chrome(string title, string page, string environment, int refresh, string generatedAt, string? token, string jsonUrl, RawHtml body) =>
        new(title, page, environment, refresh, generatedAt, "/usage" + Links.TokenQuery(token), "/history" + Links.TokenQuery(token),
            jsonUrl.Contains('?', StringComparison.Ordinal) ? jsonUrl : jsonUrl + Links.TokenQuery(token), body);

    private static bool WantsJson(HttpRequest request) =>
        request.Path.Value?.EndsWith(".json", StringComparison.Ordinal) == true
        || (request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase)
            && !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static IResult Json<T>(T view) => Results.Text(PageJson.Serialize(view), "application/json; charset=utf-8");

    private static IResult Html(string html) => Results.Text(html, "text/html; charset=utf-8");

    private static IResult BadRequest(string problem) => Results.Text($"Bad request: {problem}", statusCode: StatusCodes.Status400BadRequest);

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
