using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>The job id of /jobs/{id} (or of the header's search box), as a GitHub id: a positive 64-bit integer.</summary>
public static class JobQuery
{
    public static Either<string, long> Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        value = value.EndsWith(".json", StringComparison.Ordinal) ? value[..^".json".Length] : value;
        // Pasted from GitHub: "#123", or a job's URL that ends in /job/123.
        value = value.TrimStart('#').Trim();
        var slash = value.LastIndexOf('/');
        value = slash >= 0 ? value[(slash + 1)..] : value;
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? Right<string, long>(id)
            : Left<string, long>($"a job id is a positive whole number, as in /jobs/289782451 (got \"{text}\")");
    }
}
