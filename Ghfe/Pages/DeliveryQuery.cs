using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Pages;

/// <summary>The delivery id of /deliveries/{id}: GitHub's X-GitHub-Delivery (a GUID), as the log holds it.</summary>
public static class DeliveryQuery
{
    /// <summary>Longer than any id GitHub sends, short enough to be no burden on the log's index.</summary>
    private const int MaxLength = 100;

    public static Either<string, string> Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        value = value.EndsWith(".json", StringComparison.Ordinal) ? value[..^".json".Length] : value;
        return value.Length is > 0 and <= MaxLength
            ? Right<string, string>(value)
            : Left<string, string>($"a delivery id is the X-GitHub-Delivery GitHub shows in Recent Deliveries, as in /deliveries/72d3162e-cc78-11e3-81ab-4c9367dc0958 (got \"{text}\")");
    }

    /// <summary>Whether the header's search box was given a delivery id rather than a job: a GUID.</summary>
    public static bool IsDeliveryId(string? text) => Guid.TryParse((text ?? string.Empty).Trim(), out _);
}
