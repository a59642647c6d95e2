namespace Ghfe.History;

/// <summary>
/// Queue waits or run times counted in logarithmic buckets, eight per doubling: any window's
/// p50/p95 is then a sum of stored counts, within 4.5% of the exact value. The store computes the
/// same buckets in SQL (<c>floor(8 * ln(1 + seconds) / ln(2))</c>); <see cref="BucketOf"/> is its twin.
/// </summary>
/// <param name="Buckets">Bucket numbers, ascending; a sparse histogram as PostgreSQL returns it.</param>
/// <param name="Counts">Jobs in each of <paramref name="Buckets"/>.</param>
public sealed record DurationHistogram(int[] Buckets, int[] Counts)
{
    public const int BucketsPerDoubling = 8;

    public static readonly DurationHistogram Empty = new([], []);

    public static int BucketOf(double seconds) =>
        (int)Math.Floor(BucketsPerDoubling * Math.Log2(1 + Math.Max(0, seconds)));

    /// <summary>The value a bucket stands for: its geometric middle, so the error is at most half a bucket either way.</summary>
    public static double ValueOf(int bucket) => Math.Pow(2, (bucket + 0.5) / BucketsPerDoubling) - 1;

    /// <summary>Counts per bucket summed over many sparse histograms.</summary>
    public sealed class Sum
    {
        private long[] _counts = new long[256];

        public long Total { get; private set; }

        public void Add(DurationHistogram histogram)
        {
            for (var i = 0; i < histogram.Buckets.Length; i++)
            {
                var bucket = histogram.Buckets[i];
                if (bucket >= _counts.Length)
                {
                    Array.Resize(ref _counts, Math.Max(bucket + 1, _counts.Length * 2));
                }

                _counts[bucket] += histogram.Counts[i];
                Total += histogram.Counts[i];
            }
        }

        /// <summary>The value below which a share <paramref name="p"/> of the jobs fall (nearest rank); null without jobs.</summary>
        public double? Percentile(double p)
        {
            if (Total == 0)
            {
                return null;
            }

            var rank = Math.Max(1, (long)Math.Ceiling(p * Total));
            long seen = 0;
            for (var bucket = 0; bucket < _counts.Length; bucket++)
            {
                seen += _counts[bucket];
                if (seen >= rank)
                {
                    return ValueOf(bucket);
                }
            }

            throw new InvalidOperationException("the counts do not add up to the total");
        }
    }
}
