using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 5: <c>workflow_job.labels</c> — missing or null is no labels; anything but strings is refused.</summary>
public static class Labels
{
    private const string Path = "workflow_job.labels";

    public static Either<Rejection, IReadOnlyList<string>> Parse(JsonElement workflowJob)
    {
        if (!workflowJob.TryGetProperty("labels", out var labels) || labels.ValueKind == JsonValueKind.Null)
        {
            return Right<Rejection, IReadOnlyList<string>>(System.Array.Empty<string>());
        }

        if (labels.ValueKind != JsonValueKind.Array)
        {
            return NotStrings();
        }

        if (labels.EnumerateArray().Any(label => label.ValueKind != JsonValueKind.String))
        {
            return NotStrings();
        }

        return labels.EnumerateArray()
            .Select((label, index) => JsonFields.AsString(label, $"{Path}[{index}]"))
            .ToSeq()
            .Sequence()
            .Map(strings => (IReadOnlyList<string>)strings.ToArray());
    }

    /// <summary>
    /// Sorted by Unicode code point, as Python's <c>sorted()</c> did: rows written by the old
    /// handler and by ghfe must give the same JSONB for the same labels, or pools split.
    /// </summary>
    public static IReadOnlyList<string> Sorted(IReadOnlyList<string> labels)
    {
        var sorted = labels.ToArray();
        System.Array.Sort(sorted, CodePointOrder);
        return sorted;
    }

    public static readonly Comparison<string> CodePointOrder = (a, b) =>
    {
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    };

    private static Either<Rejection, IReadOnlyList<string>> NotStrings() =>
        new Rejection.InvalidPayload($"{Path} must be an array of strings");
}
