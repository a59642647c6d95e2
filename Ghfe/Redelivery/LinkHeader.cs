using System.Text.RegularExpressions;

namespace Ghfe.Redelivery;

/// <summary>GitHub's cursor paging: the <c>Link</c> header's <c>rel="next"</c> address.</summary>
public static partial class LinkHeader
{
    /// <summary>The next page's address, or null on the last page.</summary>
    public static string? Next(IEnumerable<string> values) =>
        values.SelectMany(value => value.Split(','))
            .Select(link => NextPattern().Match(link))
            .Where(match => match.Success)
            .Select(match => match.Groups["url"].Value)
            .FirstOrDefault();

    [GeneratedRegex("""^\s*<(?<url>[^>]+)>\s*;(?:[^;]*;)*\s*rel="?(?:[^"]*\s)?next(?:\s[^"]*)?"?\s*(?:;.*)?$""")]
    private static partial Regex NextPattern();
}
