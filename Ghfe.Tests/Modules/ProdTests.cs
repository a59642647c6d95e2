using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

[Collection(PostgresCollection.Name)]
public sealed class ProdTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Prod_writes_prod_jobs_with_the_latest_image_and_notifies_prod()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeServer.StartAsync(database, prod: true);
        await using var prod = await Listener.StartAsync(database, "prod_queue_event");
        await using var staging = await Listener.StartAsync(database, "staging_queue_event");

        Assert.Equal((200, "Job 289782451 stored."), await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued())));

        var row = Assert.Single(await Rows.JobsAsync(database, schema: "prod"));
        Assert.EndsWith("riscv-runner:ubuntu-24.04-latest", row.K8sImage, StringComparison.Ordinal);
        Assert.Equal(["289782451"], await prod.HeardAsync());
        Assert.Empty(await staging.HeardAsync(TimeSpan.FromMilliseconds(100)));
    }
}
