using Ghfe.Pages;

namespace Ghfe.Modules;

/// <summary>What every page module answers alike: JSON or HTML by the request, the chrome, 400s.</summary>
public static class PageResults
{
    public static bool WantsJson(HttpRequest request) =>
        request.Path.Value?.EndsWith(".json", StringComparison.Ordinal) == true
        || (request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase)
            && !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase));

    public static IResult Negotiate<T>(HttpRequest request, T view, Func<string> html) =>
        WantsJson(request) ? Json(view) : Html(html());

    public static IResult Json<T>(T view) => Results.Text(PageJson.Serialize(view), "application/json; charset=utf-8");

    public static IResult Html(string html) => Results.Text(html, "text/html; charset=utf-8");

    public static IResult BadRequest(string problem) => Results.Text($"Bad request: {problem}", statusCode: StatusCodes.Status400BadRequest);

    public static Dictionary<string, string[]> Parameters(HttpRequest request) =>
        request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal);

    /// <summary>The shared layout's model; links carry a token that came in the query string.</summary>
    public static Layout Chrome(string title, string page, string environment, DateTimeOffset now, HttpRequest request, string jsonUrl, RawHtml body, int refreshSeconds = 0)
    {
        var token = PageAccess.QueryToken(request);
        var tokenQuery = Links.TokenQuery(token);
        return new Layout(title, page, environment, refreshSeconds, Durations.Utc(now), "/usage" + tokenQuery, "/history" + tokenQuery, "/routing" + tokenQuery, "/deliveries" + tokenQuery,
            jsonUrl.Contains('?', StringComparison.Ordinal) || token is null ? jsonUrl : jsonUrl + tokenQuery, body);
    }
}
