namespace Ghfe.Routing;

/// <summary>The one order of a job's labels: the routing table's exact sets and the stored rows both use it.</summary>
public static class LabelOrder
{
    /// <summary>
    /// Sorted by Unicode code point, as Python's <c>sorted()</c> sorts: rows written by the Python
    /// handler and by ghfe give the same JSONB for the same labels, so no pool splits in two.
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
}
