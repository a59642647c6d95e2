using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>
/// Unsigned requests counted per minute, source and outcome, with a few samples of each: a flood
/// of forgeries costs a few delivery-log rows and log lines a minute, not one each. Bounded: past
/// <see cref="MaxSources"/> sources in a minute, or <see cref="MaxRows"/> rows in all (minutes the
/// writer has not taken yet, while the database hangs), the rest share one row per minute and outcome.
/// </summary>
public sealed class UnsignedTally
{
    /// <summary>Sources counted apart in one minute; enough for any real sender, and the memory stays a few hundred KB.</summary>
    public const int MaxSources = 100;

    /// <summary>Rows held at once: each holds at most six samples of 100 characters, so ~2 MB in all.</summary>
    public const int MaxRows = 2_000;

    public const int MaxSamples = 3;

    /// <summary>The source of the row that counts every source past <see cref="MaxSources"/>.</summary>
    public const string OtherSources = "other sources";

    private readonly Lock _gate = new();
    private readonly Dictionary<Key, Bucket> _buckets = [];
    private readonly Dictionary<DateTimeOffset, HashSet<string>> _sources = [];

    public static DateTimeOffset MinuteOf(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public void Count(UnsignedRequest request)
    {
        var minute = MinuteOf(request.ReceivedAt);
        lock (_gate)
        {
            if (!_sources.TryGetValue(minute, out var sources))
            {
                _sources[minute] = sources = [];
            }

            var source = request.Source ?? string.Empty;
            if (!sources.Contains(source))
            {
                if (sources.Count < MaxSources && _buckets.Count < MaxRows)
                {
                    sources.Add(source);
                }
                else
                {
                    source = OtherSources;
                }
            }

            var key = new Key(minute, source, request.Outcome, request.Status);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                _buckets[key] = bucket = new Bucket();
            }

            bucket.Add(request);
        }
    }

    /// <summary>The rows of every minute that has ended by <paramref name="now"/>, taken out of the tally; all of them when null (ghfe stops).</summary>
    public List<DeliveryEntry> Take(DateTimeOffset? now)
    {
        var current = now is { } at ? MinuteOf(at) : DateTimeOffset.MaxValue;
        var rows = new List<DeliveryEntry>();
        lock (_gate)
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (key.Minute < current)
                {
                    rows.Add(bucket.Row(key));
                    _buckets.Remove(key);
                }
            }

            foreach (var minute in _sources.Keys)
            {
                if (minute < current)
                {
                    _sources.Remove(minute);
                }
            }
        }

        rows.Sort(static (a, b) => (a.ReceivedAt, b.Requests).CompareTo((b.ReceivedAt, a.Requests)));
        return rows;
    }

    private readonly record struct Key(DateTimeOffset Minute, string Source, DeliveryOutcome Outcome, int Status);

    private sealed class Bucket
    {
        private readonly List<string> _deliveryIds = new(MaxSamples);
        private readonly List<string> _userAgents = new(MaxSamples);
        private int _requests;
        private double _elapsedMs;

        public void Add(UnsignedRequest request)
        {
            _requests++;
            _elapsedMs += request.ElapsedMs;
            Sample(_deliveryIds, request.DeliveryId);
            Sample(_userAgents, request.UserAgent);
        }

        public DeliveryEntry Row(Key key) => new(
            null, key.Minute, null, null, null, null, null, null, null, key.Outcome, key.Status, _elapsedMs / _requests,
            key.Source.Length == 0 ? null : key.Source, _requests, new UnsignedSamples([.. _deliveryIds], [.. _userAgents]));

        private static void Sample(List<string> samples, string? value)
        {
            if (value is not null && samples.Count < MaxSamples && !samples.Contains(value, StringComparer.Ordinal))
            {
                samples.Add(value);
            }
        }
    }
}
