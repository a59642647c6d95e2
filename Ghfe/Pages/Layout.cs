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
}
