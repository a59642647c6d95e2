namespace Ghfe.Pages;

/// <summary>The page chrome every page shares, around a page's own body.</summary>
public sealed record Layout(
    string Title,
    string Page,
    string Environment,
    int RefreshSeconds,
    string GeneratedAt,
    string UsageUrl,
    string HistoryUrl,
    string RoutingUrl,
    string DeliveriesUrl,
    string JsonUrl,
    RawHtml Body)
{
    /// <summary>What the badge in every page's header says, and every view's <c>environment</c>.</summary>
    public static string EnvironmentOf(bool prod) => prod ? "Prod" : "Staging";

    /// <summary>
    /// A page's chrome: <paramref name="page"/> is its tab in the navigation; the links carry a
    /// <paramref name="token"/> that came in the query string, and so does the JSON twin unless it
    /// already has a query of its own (then it carries the token already). A page with no JSON twin gives "".
    /// </summary>
    public static Layout Of(string title, string page, string environment, DateTimeOffset now, string? token, string jsonUrl, RawHtml body, int refreshSeconds = 0)
    {
        var tokenQuery = Links.TokenQuery(token);
        return new Layout(title, page, environment, refreshSeconds, Durations.Utc(now), "/usage" + tokenQuery, "/history" + tokenQuery, "/routing" + tokenQuery, "/deliveries" + tokenQuery,
            jsonUrl.Length == 0 || jsonUrl.Contains('?', StringComparison.Ordinal) || token is null ? jsonUrl : jsonUrl + tokenQuery, body);
    }
}
