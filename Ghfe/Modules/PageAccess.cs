using System.Security.Cryptography;
using System.Text;

namespace Ghfe.Modules;

/// <summary>The pages show private repository names: with GHFE_PAGES_TOKEN set they need it.</summary>
public static class PageAccess
{
    /// <summary>The token as the request gave it in the query string (to carry on in links), if it did.</summary>
    public static string? QueryToken(HttpRequest request) =>
        request.Query.TryGetValue("token", out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>Null when the request may see the pages; else the 401 to answer.</summary>
    public static IResult? Deny(HttpRequest request, string? expected)
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
