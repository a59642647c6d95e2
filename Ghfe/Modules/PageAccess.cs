using System.Security.Cryptography;
using System.Text;
using Ghfe.Configuration;
using Ghfe.Pages;

namespace Ghfe.Modules;

/// <summary>
/// What every page request passes before its handler: the pages token (they show private
/// repository names), the page limiter, and the headers that keep a page from being framed,
/// from leaking its address (and a token in it) as a referrer, and from running any script.
/// </summary>
public static class PageAccess
{
    /// <summary>
    /// A group for a module's pages: the token is checked here, once, before any of its handlers
    /// runs. The empty prefix leaves every route as the module maps it.
    /// </summary>
    public static RouteGroupBuilder MapPages(this IEndpointRouteBuilder app) =>
        Group(app, services => services.GetRequiredService<PageLimiter>(), behindToken: true);

    /// <summary>
    /// A group for pages anyone may see (they show only what their visitor knows already): no
    /// token, the same headers, and a limiter of their own, so that a crowd of them, or a slow
    /// GitHub they wait on, takes no turn from the pages that read the database.
    /// </summary>
    public static RouteGroupBuilder MapPublicPages(this IEndpointRouteBuilder app) =>
        Group(app, services => services.GetRequiredKeyedService<PageLimiter>(PublicLimiter), behindToken: false);

    /// <summary>The key of the public pages' <see cref="PageLimiter"/>.</summary>
    public const string PublicLimiter = "public";

    private static RouteGroupBuilder Group(IEndpointRouteBuilder app, Func<IServiceProvider, PageLimiter> limiter, bool behindToken)
    {
        var pages = app.MapGroup(string.Empty);
        pages.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = services.GetRequiredService<PageRenderer>().ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            if (behindToken && Deny(http.Request, services.GetRequiredService<GhfeSettings>()) is { } denied)
            {
                return denied;
            }

            // The handler reads and renders inside the turn; the answer is written to the client after it.
            using var turn = await limiter(services).EnterAsync(http.RequestAborted);
            return turn is null ? PageResults.Busy() : await next(context);
        });
        return pages;
    }

    /// <summary>
    /// The token to carry on in links: the one in the query string, when that is how this request
    /// gave it. A token that came in the Authorization header stays out of every link.
    /// </summary>
    public static string? QueryToken(HttpRequest request) =>
        Bearer(request) is null ? TokenParameter(request) : null;

    /// <summary>Null when the request may see the pages; else the 401 (or 403, pages closed) to answer.</summary>
    private static IResult? Deny(HttpRequest request, GhfeSettings settings)
    {
        switch (settings.PagesAccess)
        {
            case PagesAccess.Public:
                return null;
            case PagesAccess.Closed:
                return Results.Text(
                    "Forbidden: the pages are closed: ghfe runs with PROD=true and GHFE_PAGES_TOKEN unset (set GHFE_PAGES_TOKEN, or GHFE_PAGES_PUBLIC=true to show them to anyone).",
                    statusCode: StatusCodes.Status403Forbidden);
        }

        var given = Bearer(request) ?? TokenParameter(request);
        if (given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(settings.PagesToken!)))
        {
            return null;
        }

        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"ghfe pages\"";
        return Results.Text("Unauthorized: these pages need the pages token (Authorization: Bearer <token>, or ?token=<token>).", statusCode: StatusCodes.Status401Unauthorized);
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static string? TokenParameter(HttpRequest request) =>
        request.Query.TryGetValue("token", out var values) && values.Count == 1 ? values[0] : null;
}
