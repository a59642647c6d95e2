using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>/usage?refresh=0|1 — parsed purely, a bad parameter named. Without refresh the page reloads itself.</summary>
public sealed record UsageQuery(bool Refresh)
{
    public static Either<string, UsageQuery> Parse(IReadOnlyDictionary<string, string[]> query) =>
        QueryReader.Read(query, "refresh").Bind(read => (read.Text("refresh") ?? string.Empty) switch
        {
            "" or "1" or "true" => Right<string, UsageQuery>(new UsageQuery(true)),
            "0" or "false" => Right<string, UsageQuery>(new UsageQuery(false)),
            var refresh => Left<string, UsageQuery>($"refresh must be 0 or 1 (got \"{refresh}\")"),
        });
}
