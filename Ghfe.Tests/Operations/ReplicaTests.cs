using Ghfe.Tests.Support;

namespace Ghfe.Tests.Operations;

/// <summary>Two ghfe processes on one PostgreSQL take the same deliveries at once, in any order.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class ReplicaTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Two_replicas_one_database_one_row_and_at_most_one_notify_per_job()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var first = await GhfeProcess.StartAsync(database);
        await using var second = await GhfeProcess.StartAsync(database);
        await using var listener = await Listener.StartAsync(database, "staging_queue_event");
        GhfeProcess[] replicas = [first, second];
        string[] actions = ["queued", "queued", "in_progress", "completed"];
        var random = new Random(2026);

        // 40 jobs × 4 deliveries, each sent to both replicas: 320 requests, shuffled, 16 at a time.
        var deliveries = Enumerable.Range(0, 40)
            .SelectMany(i => actions.Select(action => (JobId: 9_100_000L + i, Action: action)))
            .SelectMany(d => replicas.Select(replica => (d.JobId, d.Action, Replica: replica)))
            .OrderBy(_ => random.Next())
            .ToArray();
        var answers = new List<(int Status, string Text)>();
        foreach (var wave in deliveries.Chunk(16))
        {
            answers.AddRange(await Task.WhenAll(wave.Select(d => d.Replica.DeliverAsync("workflow_job", Body(d.Action, d.JobId)))));
        }

        Assert.True(answers.All(a => a.Status == 200), string.Join("\n", first.Lines.Concat(second.Lines).Where(l => l.Contains("fail", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).Take(5)));
        var rows = await Rows.JobsAsync(database);
        Assert.Equal(40, rows.Count);
        Assert.All(rows, row => Assert.Equal("completed", row.Status));
        var heard = await listener.HeardAsync();
        Assert.Equal(heard.Count, heard.Distinct().Count());
        Assert.Equal(heard.Count, answers.Count(a => a.Text.EndsWith("stored.", StringComparison.Ordinal)));
    }

    private static byte[] Body(string action, long jobId)
    {
        var payload = Payloads.Queued();
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }
}
