
namespace Ghfe.Store;

/// <summary>
/// The values of the queue gauges at one refresh, keyed by label values from closed sets: the
/// pools the routing file names plus <see cref="Other"/>, and the two live statuses. Whatever
/// the tables hold, the series are at most (pools + 1) × 2 per gauge.
/// </summary>
public sealed record QueueSample(
    IReadOnlyDictionary<(string Pool, string Status), long> Jobs,
    IReadOnlyDictionary<string, double> OldestPendingSeconds,
    IReadOnlyDictionary<(string Pool, string Status), long> Workers)
{
    public const string Other = "other";

    public static readonly IReadOnlyList<string> Statuses = ["pending", "running"];

    /// <summary>Every pool and status gets a value (0 when none), so a pool emptied of jobs reads 0 rather than vanishing.</summary>
    public static QueueSample Of(IReadOnlyList<string> pools, IEnumerable<QueueCount> counts, DateTimeOffset now)
    {
        var known = new HashSet<string>(pools, StringComparer.Ordinal);
        var labels = known.Append(Other).Distinct(StringComparer.Ordinal).ToArray();
        var jobs = Zeroes(labels);
        var workers = Zeroes(labels);
        var oldest = labels.ToDictionary(pool => pool, _ => 0.0, StringComparer.Ordinal);
        foreach (var count in counts)
        {
            if (!Statuses.Contains(count.Status, StringComparer.Ordinal))
            {
                continue;
            }

            var pool = known.Contains(count.Pool) ? count.Pool : Other;
            var into = count.Kind == QueueKind.Job ? jobs : workers;
            into[(pool, count.Status)] += count.Count;
            if (count is { Kind: QueueKind.Job, Status: "pending", Oldest: { } created })
            {
                oldest[pool] = Math.Max(oldest[pool], Math.Max(0, (now - created).TotalSeconds));
            }
        }

        return new QueueSample(jobs, oldest, workers);
    }

    private static Dictionary<(string Pool, string Status), long> Zeroes(IEnumerable<string> pools) =>
        pools.SelectMany(pool => Statuses.Select(status => (pool, status))).ToDictionary(key => key, _ => 0L);
}
