using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>Stage 5: <c>workflow_job.labels</c> — missing or null is no labels; anything but strings is refused.</summary>
public static class Labels
{
    private const string Path = "workflow_job.labels";

    public static bool TryParse(JsonElement workflowJob, [NotNullWhen(true)] out IReadOnlyList<string>? labels, [NotNullWhen(false)] out Rejection? rejection)
    {
        labels = null;
        rejection = null;
        if (!workflowJob.TryGetProperty("labels", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            labels = [];
            return true;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return NotStrings(out rejection);
        }

        // Every element must be a string before any is read: a number anywhere names the array.
        foreach (var label in array.EnumerateArray())
        {
            if (label.ValueKind != JsonValueKind.String)
            {
                return NotStrings(out rejection);
            }
        }

        var read = new string[array.GetArrayLength()];
        var index = 0;
        foreach (var label in array.EnumerateArray())
        {
            if (!JsonFields.TryAsString(label, $"{Path}[{index}]", out var text, out rejection))
            {
                return false;
            }

            read[index++] = text;
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
