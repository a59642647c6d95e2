using Ghfe.Hosting;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

[Collection(PostgresCollection.Name)]
public sealed class ProdAndOutageTests(PostgresCluster cluster)
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

    [Fact]
    public async Task Database_down_is_a_clear_503_and_readiness_says_so()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-outage-{Guid.NewGuid():N}");
        await using var own = await EmbeddedPostgres.StartAsync(directory, durable: false, deleteOnStop: true, CancellationToken.None);
        await using var ghfe = await GhfeServer.StartAsync(own.ConnectionString);
        await ghfe.Client.GetAsync("/health/ready");

        await own.StopAsync();

        var answer = await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()));
        using var ready = await ghfe.Client.GetAsync("/health/ready");
        using var live = await ghfe.Client.GetAsync("/health");

        Assert.Equal(503, answer.Status);
        Assert.StartsWith("Job 289782451 not stored: database unavailable", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", answer.Text, StringComparison.Ordinal);
        Assert.Equal(503, (int)ready.StatusCode);
        Assert.Contains("database: down", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(200, (int)live.StatusCode);
    }
}
