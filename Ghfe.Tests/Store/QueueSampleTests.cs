using Ghfe.Store;

namespace Ghfe.Tests.Store;

public sealed class QueueSampleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    private static readonly string[] Pools = ["scw-em-rv1", "cloudv10x-jupiter"];

    [Fact]
    public void Every_pool_and_status_reads_zero_when_the_queue_is_empty()
    {
        var sample = QueueSample.Of(Pools, [], Now);

        Assert.Equal(6, sample.Jobs.Count);
        Assert.All(sample.Jobs.Values, count => Assert.Equal(0, count));
        Assert.All(sample.Workers.Values, count => Assert.Equal(0, count));
        Assert.Equal(["cloudv10x-jupiter", "other", "scw-em-rv1"], sample.OldestPendingSeconds.Keys.Order(StringComparer.Ordinal));
        Assert.All(sample.OldestPendingSeconds.Values, age => Assert.Equal(0, age));
    }

    [Fact]
    public void Oldest_pending_age_is_per_pool_and_ignores_running_jobs()
    {
        var sample = QueueSample.Of(
            Pools,
            [
                new(QueueKind.Job, "scw-em-rv1", "pending", 3, Now.AddMinutes(-12)),
                new(QueueKind.Job, "scw-em-rv1", "running", 2, Now.AddHours(-2)),
                new(QueueKind.Worker, "scw-em-rv1", "running", 2, null),
            ],
            Now);

        Assert.Equal(720, sample.OldestPendingSeconds["scw-em-rv1"]);
        Assert.Equal(0, sample.OldestPendingSeconds["cloudv10x-jupiter"]);
        Assert.Equal(3, sample.Jobs[("scw-em-rv1", "pending")]);
        Assert.Equal(2, sample.Jobs[("scw-em-rv1", "running")]);
        Assert.Equal(2, sample.Workers[("scw-em-rv1", "running")]);
    }

    [Fact]
    public void Label_values_stay_bounded_whatever_the_tables_hold()
    {
        // A thousand pools the routing file does not name, and statuses that are not live.
        var counts = Enumerable.Range(0, 1000).SelectMany(i => new QueueCount[]
        {
            new(QueueKind.Job, $"pool-{i}", "pending", 1, Now.AddSeconds(-i)),
            new(QueueKind.Worker, $"pool-{i}", "running", 1, null),
            new(QueueKind.Job, $"pool-{i}", "failed", 1, null),
        }).ToArray();

        var sample = QueueSample.Of(Pools, counts, Now);

        Assert.Equal((Pools.Length + 1) * 2, sample.Jobs.Count);
        Assert.Equal((Pools.Length + 1) * 2, sample.Workers.Count);
        Assert.Equal(Pools.Length + 1, sample.OldestPendingSeconds.Count);
        Assert.Equal(1000, sample.Jobs[(QueueSample.Other, "pending")]);
        Assert.Equal(1000, sample.Workers[(QueueSample.Other, "running")]);
        Assert.Equal(999, sample.OldestPendingSeconds[QueueSample.Other]);
        Assert.All(sample.Jobs.Keys, key => Assert.Contains(key.Status, QueueSample.Statuses));
    }

    [Fact]
    public void A_clock_behind_the_database_never_makes_a_negative_age()
    {
        var sample = QueueSample.Of(Pools, [new(QueueKind.Job, "scw-em-rv1", "pending", 1, Now.AddSeconds(5))], Now);

        Assert.Equal(0, sample.OldestPendingSeconds["scw-em-rv1"]);
    }
}
