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
    public static Either<string, ExplainQuery> Parse(IReadOnlyDictionary<string, string[]> query) =>
        QueryReader.Read(query, "owner", "repo", "labels", "sender", "visibility").Bind(read =>
        {
            var owner = read.Text("owner");
            var repo = read.Text("repo");
            if (owner is null || !long.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerId) || ownerId <= 0)
            {
                return Left<string, ExplainQuery>($"owner must be the repository owner's numeric id (got \"{owner}\")");
            }

            if (repo is null || repo.Count(c => c == '/') != 1 || repo.StartsWith('/') || repo.EndsWith('/'))
            {
                return Left<string, ExplainQuery>($"repo must be owner/name (got \"{repo}\")");
            }

            var sender = read.Text("sender");
            long senderId = 0;
            if (sender is not null && (!long.TryParse(sender, NumberStyles.None, CultureInfo.InvariantCulture, out senderId) || senderId <= 0))
            {
                return Left<string, ExplainQuery>($"sender must be the sender's numeric id (got \"{sender}\")");
            }

            var labels = (read.Text("labels") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Right<string, ExplainQuery>(new ExplainQuery(ownerId, repo, labels, sender is null ? null : senderId, read.Text("visibility")));
        });
}
