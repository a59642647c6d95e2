using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>
/// /routing/explain?owner=&lt;id&gt;&amp;repo=&lt;owner/name&gt;&amp;labels=a,b[&amp;sender=&lt;id&gt;][&amp;visibility=public|private|internal]
/// — parsed purely, a bad parameter named. Without a visibility the repository is taken as public.
/// </summary>
public sealed record ExplainQuery(long Owner, string Repository, IReadOnlyList<string> Labels, long? Sender = null, string? Visibility = null)
{
    private static readonly string[] Known = ["owner", "repo", "labels", "sender", "visibility", "token"];

    public static Either<string, ExplainQuery> Parse(IReadOnlyDictionary<string, string[]> query)
    {
        var unknown = query.Keys.FirstOrDefault(key => !Known.Contains(key, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return $"unknown parameter \"{unknown}\" (known: owner, repo, labels, sender, visibility)";
        }

        string? Value(string name) => query.TryGetValue(name, out var values) && values.Length == 1 ? values[0] : null;
        var owner = Value("owner");
        var repo = Value("repo");
        if (owner is null || !long.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerId) || ownerId <= 0)
        {
            return $"owner must be the repository owner's numeric id (got \"{owner}\")";
        }

        if (repo is null || repo.Count(c => c == '/') != 1 || repo.StartsWith('/') || repo.EndsWith('/'))
        {
            return $"repo must be owner/name (got \"{repo}\")";
        }

        var sender = Value("sender") is { Length: > 0 } senderText ? senderText : null;
        long senderId = 0;
        if (sender is not null && (!long.TryParse(sender, NumberStyles.None, CultureInfo.InvariantCulture, out senderId) || senderId <= 0))
        {
            return $"sender must be the sender's numeric id (got \"{sender}\")";
        }

        var visibility = Value("visibility") is { Length: > 0 } seen ? seen : null;
        var labels = (Value("labels") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Right<string, ExplainQuery>(new ExplainQuery(ownerId, repo, labels, sender is null ? null : senderId, visibility));
    }
}
