using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>/usage?refresh=0|1 — parsed purely, a bad parameter named. Without refresh the page reloads itself.</summary>
public sealed record UsageQuery(bool Refresh)
{
    public static Either<string, UsageQuery> Parse(IReadOnlyDictionary<string, string[]> query)
    {
        var unknown = query.Keys.FirstOrDefault(key => key is not ("refresh" or "token"));
        if (unknown is not null)
        {
            return $"unknown parameter \"{unknown}\" (known: refresh)";
        }

        // Repeated, the values read as one, comma-joined: "1,1" is no answer.
        var refresh = query.TryGetValue("refresh", out var values) ? string.Join(',', values) : string.Empty;
        return refresh switch
        {
            "" or "1" or "true" => Right<string, UsageQuery>(new UsageQuery(true)),
            "0" or "false" => Right<string, UsageQuery>(new UsageQuery(false)),
            _ => Left<string, UsageQuery>($"refresh must be 0 or 1 (got \"{refresh}\")"),
        };
    }
}
