using Ghfe.Configuration;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Operations;

/// <summary>Editing the routing file (a ConfigMap update) takes effect without a restart.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RoutingReloadTests(PostgresCluster cluster)
{
    private const string NewRoute = """
        { "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" },
                { "labels": ["ubuntu-26.04-riscv"], "pool": "cloudv10x-rvv", "image": "ubuntu-26.04" }
        """;

    [Fact]
    public async Task A_new_route_applies_and_a_broken_edit_keeps_the_last_good_rules()
    {
        var database = await cluster.CreateDatabaseAsync();
        var path = Path.Combine(Path.GetTempPath(), $"ghfe-reload-{Guid.NewGuid():N}.json");
        var shipped = await File.ReadAllTextAsync(RoutingFile.ShippedPath);
        await File.WriteAllTextAsync(path, shipped);
        try
        {
            await using var ghfe = await GhfeProcess.StartAsync(database, ("GHFE_CONFIG", path));
            var before = await Deliver(ghfe, 9_200_001);
            Assert.True(before.Text.StartsWith("Ignoring job", StringComparison.Ordinal), before.Text + string.Join("\n", ghfe.Lines));

            var edited = shipped.Replace("""{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" }""", NewRoute, StringComparison.Ordinal);
            Assert.NotEqual(shipped, edited);
            await File.WriteAllTextAsync(path, edited);
            var jobId = 9_200_002L;
            await Eventually(async () => (await Deliver(ghfe, ++jobId)).Text == $"Job {jobId} stored.");

            await File.WriteAllTextAsync(path, edited.Replace("\"cloudv10x-rvv\", \"image\"", "\"nowhere\", \"image\"", StringComparison.Ordinal));
            await Eventually(() => Task.FromResult(ghfe.Lines.Any(l => l.Contains("keeping the last good rules", StringComparison.Ordinal))));

            Assert.Equal((200, "Job 9200003 stored."), await Deliver(ghfe, 9_200_003));
            Assert.Contains(ghfe.Lines, l => l.Contains("unknown pool \"nowhere\"", StringComparison.Ordinal));
            Assert.Equal("cloudv10x-rvv", (await Rows.JobsAsync(database, jobId: 9_200_003)).Single().K8sPool);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Task<(int Status, string Text)> Deliver(GhfeProcess ghfe, long jobId) =>
        ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(["ubuntu-26.04-riscv"], owner: 42, ownerLogin: "someone", repository: "someone/project")
            .Also(p => p["workflow_job"]!["id"] = jobId)));

    /// <summary>Polls for up to 15 s (the reloader looks every 2 s).</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the routing file change was not taken up in 15 s");
    }
}
