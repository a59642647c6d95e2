namespace Ghfe.Routing;

/// <summary>
/// Why labels that look right were not taken, in words: a job that waits for a runner nobody
/// starts is most often one typo, one letter case or one extra label away from a route.
/// </summary>
public static class NearMiss
{
    /// <summary>Edits (insert, delete, replace) that still count as "one of these was meant".</summary>
    private const int MaxEdits = 2;

    /// <summary>For a route that matched: the labels it took only because case is ignored.</summary>
    public static IEnumerable<string> CaseOnly(LabelMatch match, IReadOnlyList<string> labels) =>
        from wanted in RuleLabels(match)
        from label in labels
        where match is not LabelMatch.AnyContains
            && string.Equals(label, wanted, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(label, wanted, StringComparison.Ordinal)
        select $"\"{label}\" matches \"{wanted}\" ignoring case (GitHub ignores case too)";

    /// <summary>For a route that did not match: what would make it match, if that is a small change.</summary>
    public static IEnumerable<string> Of(LabelMatch match, IReadOnlyList<string> labels)
    {
        var typos = (from wanted in RuleLabels(match)
                     from label in labels
                     let edits = Distance(label.ToLowerInvariant(), wanted.ToLowerInvariant())
                     where edits is > 0 and <= MaxEdits
                     select $"\"{label}\" is {edits} edit{(edits == 1 ? "" : "s")} away from \"{wanted}\": did you mean \"{wanted}\"?").ToList();
        if (typos.Count > 0)
        {
            return typos;
        }

        if (match is LabelMatch.Exactly exactly)
        {
            var extra = labels.Where(label => !exactly.Labels.Contains(label, StringComparer.OrdinalIgnoreCase)).ToList();
            var missing = exactly.Labels.Where(wanted => !labels.Contains(wanted, StringComparer.OrdinalIgnoreCase)).ToList();
            if (extra.Count > 0 && missing.Count == 0)
            {
                return [$"the job asks for {Quoted(extra)} as well: this route needs exactly [{string.Join(", ", exactly.Labels)}], nothing more"];
            }
        }

        return [];
    }

    private static IReadOnlyList<string> RuleLabels(LabelMatch match) => match switch
    {
        LabelMatch.Exactly exactly => exactly.Labels,
        LabelMatch.Includes includes => includes.Labels,
        LabelMatch.AnyContains contains => contains.Fragments,
        _ => [],
    };

    private static string Quoted(IEnumerable<string> labels) => string.Join(", ", labels.Select(label => $"\"{label}\""));

    /// <summary>Levenshtein distance, giving up (MaxEdits + 1) once it is past the bound: labels are short.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > MaxEdits)
        {
            return MaxEdits + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(replace, Math.Min(previous[j] + 1, current[j - 1] + 1));
                best = Math.Min(best, current[j]);
            }

            if (best > MaxEdits)
            {
                return MaxEdits + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
