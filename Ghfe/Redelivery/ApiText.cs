using System.Globalization;
using System.Text;

namespace Ghfe.Redelivery;

/// <summary>
/// Text that came from GitHub's API, made fit for one line of <c>ghfe redeliver</c>'s output:
/// whatever answered may not move the terminal's cursor, start a new line or fill the log.
/// </summary>
public static class ApiText
{
    public const int Longest = 200;

    /// <summary>Control and format characters (bidi overrides too) as <c>\uXXXX</c>, the whole cut at <see cref="Longest"/> characters with an ellipsis.</summary>
    public static string OneLine(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, Longest) + 8);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, Longest)))
        {
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                line.Append($"\\u{(int)c:x4}");
            }
            else
            {
                line.Append(c);
            }
        }

        return text.Length > Longest ? line.Append('…').ToString() : line.ToString();
    }
}
