using System.Net;
using System.Text.RegularExpressions;

namespace Ghfe.Pages;

/// <summary>A container image's name as HTML that may wrap after its <c>/</c>, <c>:</c> and <c>-</c>, and nowhere else.</summary>
public static partial class ImageName
{
    public static RawHtml Breakable(string? image) =>
        new(Separators().Replace(WebUtility.HtmlEncode(image ?? string.Empty), "$0<wbr>"));

    [GeneratedRegex("[/:-]")]
    private static partial Regex Separators();
}
