using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>The <c>installation_id</c> GitHub adds to /setup after an install: a positive 64-bit integer, given once.</summary>
public static class SetupQuery
{
    public static Either<string, long> Parse(IReadOnlyDictionary<string, string[]> parameters) =>
        parameters.TryGetValue("installation_id", out var values) && values is [var text]
            ? long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? Right<string, long>(id)
                : Left<string, long>("installation_id is not an installation id (a positive whole number)")
            : Left<string, long>("there is no installation_id in the address");
}
