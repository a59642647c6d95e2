using Ghfe.Configuration;
using Ghfe.Pages;

namespace Ghfe.Modules;

/// <summary>
/// A page's 400 or 503: for a browser (<c>Accept: text/html</c>, not a <c>.json</c> route) a page in
/// the layout, with the navigation to go on from; for anything else the plain text it has always been.
/// </summary>
/// <param name="Text">The whole plain-text answer: "Bad request: …".</param>
/// <param name="RetryAfterSeconds">Sent as Retry-After when set.</param>
public sealed record PageProblem(int Status, string Headline, string Text, int? RetryAfterSeconds = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WantsPage(httpContext.Request)
            ? PageResults.Html(Render(httpContext), Status).ExecuteAsync(httpContext)
            : Results.Text(Text, statusCode: Status).ExecuteAsync(httpContext);
    }

    private static bool WantsPage(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase) && !PageResults.WantsJson(request);

    private string Render(HttpContext http)
    {
        var services = http.RequestServices;
        var environment = Layout.EnvironmentOf(services.GetRequiredService<GhfeSettings>().Prod);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        http.Response.Headers.ContentSecurityPolicy = services.GetRequiredService<PageRenderer>().ContentSecurityPolicy;
        var view = new ErrorView(Status, Headline, Text);
        return services.GetRequiredService<PageRenderer>().Render("error", view, PageLayouts.Error(view, environment, now, PageAccess.QueryToken(http.Request)));
    }
}
