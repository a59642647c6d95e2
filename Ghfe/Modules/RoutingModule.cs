using Carter;
using Ghfe.Configuration;
using Ghfe.Pages;
using Ghfe.Routing;

namespace Ghfe.Modules;

/// <summary><c>/routing</c> (the rules in force) and <c>/routing/explain</c> (why labels go where they go), HTML or JSON.</summary>
public sealed class RoutingModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/routing", Rules);
        app.MapGet("/routing.json", Rules);
        app.MapGet("/routing/explain", Explain);
        app.MapGet("/routing/explain.json", Explain);
    }

    private static IResult Rules(HttpContext http, GhfeSettings settings, LiveRouting routing, PageRenderer pages, TimeProvider clock)
    {
        if (PageAccess.Deny(http.Request, settings.PagesToken) is { } denied)
        {
            return denied;
        }

        var current = routing.Current;
        var view = RoutingView.Build(settings.Prod, current.Config, current.Fingerprint);
        return PageResults.Negotiate(http.Request, view, () => pages.Render("routing", view, body =>
            PageResults.Chrome("Routing", "routing", view.Environment, clock.GetUtcNow(), http.Request, "/routing.json", body)));
    }

    private static IResult Explain(HttpContext http, GhfeSettings settings, LiveRouting routing, PageRenderer pages, TimeProvider clock)
    {
        if (PageAccess.Deny(http.Request, settings.PagesToken) is { } denied)
        {
            return denied;
        }

        return ExplainQuery.Parse(PageResults.Parameters(http.Request)).Match(
            Right: query =>
            {
                var explanation = Explainer.Explain(routing.Current.Webhook.Routing, query.Owner, query.Repository, query.Labels);
                return PageResults.Negotiate(http.Request, explanation, () => pages.Render("explain", explanation, body =>
                    PageResults.Chrome("Routing explained", "routing", Layout.EnvironmentOf(settings.Prod), clock.GetUtcNow(), http.Request,
                        "/routing/explain.json" + http.Request.QueryString, body)));
            },
            Left: PageResults.BadRequest);
    }
}
