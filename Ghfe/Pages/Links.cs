namespace Ghfe.Pages;

public static class Links
{
    /// <summary>
    /// A link from a payload, kept only if it is plain http(s): escaping cannot make a
    /// <c>javascript:</c> URL safe in an href.
    /// </summary>
    public static string? SafeHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            ? url
            : null;

    /// <summary>"?token=…" to carry a token that came in the query string on to the next page, else "".</summary>
    public static string TokenQuery(string? token) => token is null ? string.Empty : $"?token={Uri.EscapeDataString(token)}";
}
