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
        var pages = app.MapPages();
        pages.MapGet("/routing", Rules);
        pages.MapGet("/routing.json", Rules);
        pages.MapGet("/routing/explain", Explain);
        pages.MapGet("/routing/explain.json", Explain);
    }

    private static IResult Rules(HttpContext http, GhfeSettings settings, LiveRouting routing, PageRenderer pages, TimeProvider clock) =>
        QueryReader.Read(PageResults.Parameters(http.Request)).Match(
            Right: _ =>
            {
                var current = routing.Current;
                var view = RoutingView.Build(settings.Prod, current.Config, current.Fingerprint);
                return PageResults.Negotiate(http.Request, pages, "routing", view, PageLayouts.Routing(view, clock.GetUtcNow(), PageAccess.QueryToken(http.Request)));
            },
            Left: PageResults.BadRequest);

    private static IResult Explain(HttpContext http, GhfeSettings settings, LiveRouting routing, PageRenderer pages, TimeProvider clock) =>
        ExplainQuery.Parse(PageResults.Parameters(http.Request)).Match(
            Right: query =>
            {
                var webhook = routing.Current.Webhook;
                var explanation = Explainer.Explain(webhook.Routing, query.Owner, query.Repository, query.Labels, webhook.Admission, query.Sender, query.Visibility);
                return PageResults.Negotiate(http.Request, pages, "explain", explanation,
                    PageLayouts.Explain(Layout.EnvironmentOf(settings.Prod), clock.GetUtcNow(), PageAccess.QueryToken(http.Request), PageResults.JsonTwin("/routing/explain.json", http.Request)));
            },
            Left: PageResults.BadRequest);
}
