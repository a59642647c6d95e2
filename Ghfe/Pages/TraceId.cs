using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>The id in a <c>/trace</c> path: an entity, installation, job or event id, a positive 64-bit integer.</summary>
public static class TraceId
{
    /// <param name="route">The route it names: <c>entity</c>, <c>installation</c>, <c>job</c> or <c>payload</c>.</param>
    public static Either<string, long> Parse(string? text, string route) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? Right<string, long>(id)
            : Left<string, long>($"Bad request: the id in /trace/{route}/<id> is a positive whole number, as in /trace/{route}/21003710 (got \"{text}\")");
}
