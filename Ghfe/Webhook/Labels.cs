using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>Stage 5: <c>workflow_job.labels</c> — missing or null is no labels; anything but strings is refused.</summary>
public static class Labels
{
    private const string Path = "workflow_job.labels";

    public static bool TryParse(Payload.Node workflowJob, [NotNullWhen(true)] out IReadOnlyList<string>? labels, [NotNullWhen(false)] out Rejection? rejection)
    {
        labels = null;
        rejection = null;
        var array = workflowJob["labels"];
        if (array.Absent)
        {
            labels = [];
            return true;
        }

        // Every element must be a string before any is read: a number anywhere names the array.
        if (array.Items is not { } items || items.Any(item => item.Kind != JsonTokenType.String))
        {
            return NotStrings(out rejection);
        }

        var read = new string[items.Count];
        for (var index = 0; index < read.Length; index++)
        {
            if (!JsonFields.TryAsString(items[index], $"{Path}[{index}]", out var text, out rejection))
            {
                return false;
            }

            read[index] = text;
        }

        labels = read;
        return true;
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

    /// <summary>Always false.</summary>
    private static bool NotStrings(out Rejection? rejection)
    {
        rejection = new Rejection.InvalidPayload($"{Path} must be an array of strings");
        return false;
    }
}
