using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Tests.Store;

/// <summary>Unsigned requests counted per minute, source and outcome: bounded, and each minute taken once it has ended.</summary>
public sealed class UnsignedTallyTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 6, 0, 43, 0, TimeSpan.Zero);

    private static UnsignedRequest Forged(DateTimeOffset at, string source, string outcome = "invalid_signature", string? id = "d") =>
        new(at, DeliveryOutcomes.Parse(outcome)!.Value, outcome == "invalid_signature" ? 401 : 400, source, id, "curl/8", 2.0);

    [Fact]
    public void A_minute_is_one_row_per_source_and_outcome_taken_once_it_has_ended()
    {
        var tally = new UnsignedTally();
        for (var i = 0; i < 1000; i++)
        {
            tally.Count(Forged(Minute.AddMilliseconds(i * 50), i % 2 == 0 ? "10.0.0.1" : "10.0.0.2", id: $"d-{i}"));
        }

        tally.Count(Forged(Minute.AddSeconds(30), "10.0.0.1", "missing_header"));
        tally.Count(Forged(Minute.AddSeconds(61), "10.0.0.1"));

        Assert.Empty(tally.Take(Minute.AddSeconds(59)));
        var rows = tally.Take(Minute.AddSeconds(62));

        Assert.Equal(
            [("10.0.0.1", "invalid_signature", 500), ("10.0.0.2", "invalid_signature", 500), ("10.0.0.1", "missing_header", 1)],
            rows.Select(r => (r.Source, r.Outcome.Wire(), r.Requests)).OrderByDescending(r => r.Requests).ThenBy(r => r.Source));
        Assert.All(rows, row => Assert.Equal(Minute, row.ReceivedAt));
        Assert.Equal(["d-0", "d-2", "d-4"], rows.Single(r => r.Source == "10.0.0.1" && r.Requests == 500).Samples!.DeliveryIds);
        Assert.Equal(["curl/8"], rows[0].Samples!.UserAgents);
        Assert.Equal(2.0, rows[0].ElapsedMs);
        Assert.Empty(tally.Take(Minute.AddSeconds(62)));
        Assert.Equal(1, Assert.Single(tally.Take(null)).Requests);
    }

    [Fact]
    public void Sources_past_the_cap_share_one_row()
    {
        var tally = new UnsignedTally();
        for (var i = 0; i < UnsignedTally.MaxSources + 500; i++)
        {
            tally.Count(Forged(Minute, $"10.0.{i / 256}.{i % 256}"));
        }

        tally.Count(Forged(Minute, "10.0.0.0"));
        var rows = tally.Take(null);

        Assert.Equal(UnsignedTally.MaxSources + 1, rows.Count);
        Assert.Equal(500, rows.Single(r => r.Source == UnsignedTally.OtherSources).Requests);
        Assert.Equal(2, rows.Single(r => r.Source == "10.0.0.0").Requests);
        Assert.Equal(UnsignedTally.MaxSources + 501, rows.Sum(r => r.Requests));
    }

    [Fact]
    public void Minutes_nobody_takes_stay_bounded()
    {
        var tally = new UnsignedTally();
        for (var minute = 0; minute < 60; minute++)
        {
            for (var i = 0; i < UnsignedTally.MaxSources + 10; i++)
            {
                tally.Count(Forged(Minute.AddMinutes(minute), $"10.1.{i / 256}.{i % 256}"));
            }
        }

        var rows = tally.Take(null);

        Assert.InRange(rows.Count, UnsignedTally.MaxRows, UnsignedTally.MaxRows + 60);
        Assert.Equal(60 * (UnsignedTally.MaxSources + 10), rows.Sum(r => r.Requests));
    }
}
