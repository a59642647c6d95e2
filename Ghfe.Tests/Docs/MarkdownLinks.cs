using System.Text.RegularExpressions;

namespace Ghfe.Tests.Docs;

/// <summary>
/// The links of Markdown pages and the anchors GitHub gives their headings, and which links lead nowhere:
/// a relative link must name a file or folder of the repository, and its <c>#anchor</c> a heading of that page.
/// </summary>
public static partial class MarkdownLinks
{
    /// <summary>Where links to this repository's files on GitHub begin; such links are checked against the working tree.</summary>
    public const string GitHubBlob = "https://github.com/riseproject-dev/ghfe/blob/main/";

    /// <summary>The link targets of a page, outside code blocks and code spans, with their line numbers.</summary>
    public static IReadOnlyList<(int Line, string Target)> Links(string markdown)
    {
        var links = new List<(int, string)>();
        foreach (var (number, line) in ProseLines(markdown))
        {
            var prose = CodeSpan().Replace(line, string.Empty);
            links.AddRange(InlineLink().Matches(prose).Select(m => (number, m.Groups["target"].Value.Trim('<', '>'))));
            links.AddRange(AutoLink().Matches(prose).Select(m => (number, m.Groups["target"].Value)));
            var definition = ReferenceDefinition().Match(prose);
            if (definition.Success)
            {
                links.Add((number, definition.Groups["target"].Value));
            }
        }

        return links;
    }

    /// <summary>The anchors of a page's headings as GitHub makes them: a repeated heading gets <c>-1</c>, <c>-2</c>, …</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, line) in ProseLines(markdown))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading's text: the text as rendered (code spans' content, links' text), lower case,
    /// every character but letters, digits, spaces, hyphens and underscores dropped, spaces to hyphens.
    /// </summary>
    public static string Slug(string heading)
    {
        var rendered = InlineLink().Replace(heading, m => m.Groups["text"].Value).Replace("`", string.Empty, StringComparison.Ordinal);
        return NotAnchor().Replace(rendered.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');
    }

    /// <summary>What is wrong with each of a page's links; empty when every one leads somewhere.</summary>
    public static IEnumerable<string> DeadLinks(string root, string page)
    {
        var text = File.ReadAllText(page);
        foreach (var (line, target) in Links(text))
        {
            var problem = Problem(root, page, text, target);
            if (problem is not null)
            {
                yield return $"{Path.GetRelativePath(root, page)}:{line}: ({target}) {problem}";
            }
        }
    }

    /// <summary>Why a link from <paramref name="page"/> leads nowhere, or null when it leads somewhere (external links are not followed).</summary>
    public static string? Problem(string root, string page, string pageText, string target)
    {
        string path;
        if (target.StartsWith(GitHubBlob, StringComparison.Ordinal))
        {
            path = Path.Combine(root, target[GitHubBlob.Length..]);
        }
        else if (Scheme().IsMatch(target))
        {
            return null;
        }
        else
        {
            path = target.StartsWith('#') ? page : Path.Combine(Path.GetDirectoryName(page)!, target);
        }

        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? null : path[(hash + 1)..];
        var file = Path.GetFullPath(Uri.UnescapeDataString(hash < 0 ? path : path[..hash]));
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (file != fullRoot && !file.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return "leaves the repository";
        }

        if (!File.Exists(file) && !Directory.Exists(file))
        {
            return "names no file";
        }

        if (fragment is null)
        {
            return null;
        }

        if (!file.EndsWith(".md", StringComparison.Ordinal))
        {
            return "has an anchor into a file that is not Markdown";
        }

        var text = file == Path.GetFullPath(page) ? pageText : File.ReadAllText(file);
        return Anchors(text).Contains(fragment) ? null : $"names no heading of {Path.GetRelativePath(root, file)}";
    }

    /// <summary>The lines of a page outside fenced code blocks, numbered from 1.</summary>
    private static IEnumerable<(int Number, string Line)> ProseLines(string markdown)
    {
        string? fence = null;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            var opener = Fence().Match(trimmed);
            if (fence is null && opener.Success)
            {
                fence = opener.Value;
            }
            else if (fence is not null && trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
            }
            else if (fence is null)
            {
                yield return (i + 1, lines[i].TrimEnd('\r'));
            }
        }
    }

    [GeneratedRegex(@"^(```+|~~~+)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"<(?<target>[a-z][a-z0-9+.-]*:[^>\s]+)>")]
    private static partial Regex AutoLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex NotAnchor();
}
