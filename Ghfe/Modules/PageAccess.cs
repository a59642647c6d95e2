using System.Security.Cryptography;
using System.Text;
using Ghfe.Configuration;

namespace Ghfe.Modules;

/// <summary>The pages show private repository names: with GHFE_PAGES_TOKEN set they need it.</summary>
public static class PageAccess
{
    /// <summary>
    /// A group for a module's pages: the token is checked here, once, before any of its handlers
    /// runs. The empty prefix leaves every route as the module maps it.
    /// </summary>
    public static RouteGroupBuilder MapPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(string.Empty);
        pages.AddEndpointFilter(async (context, next) =>
            Deny(context.HttpContext.Request, context.HttpContext.RequestServices.GetRequiredService<GhfeSettings>().PagesToken) is { } denied
                ? denied
                : await next(context));
        return pages;
    }

    /// <summary>The token as the request gave it in the query string (to carry on in links), if it did.</summary>
    public static string? QueryToken(HttpRequest request) =>
        request.Query.TryGetValue("token", out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>Null when the request may see the pages; else the 401 to answer.</summary>
    private static IResult? Deny(HttpRequest request, string? expected)
    {
        if (expected is null)
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : QueryToken(request);
        if (given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return null;
        }

        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"ghfe pages\"";
        return Results.Text("Unauthorized: these pages need the pages token (Authorization: Bearer <token>, or ?token=<token>).", statusCode: StatusCodes.Status401Unauthorized);
    }
}
