using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Proxy;

/// <summary>Two real ghfe on 127.0.0.1 sharing one database: prod forwards staging's repositories.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StagingProxyTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const long RiseProject = 152654596;

    private string _database = string.Empty;
    private GhfeServer? _staging;
    private GhfeServer? _prod;

    private GhfeServer Prod => _prod!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _staging = await GhfeServer.StartAsync(_database, prod: false);
        _prod = await GhfeServer.StartAsync(_database, prod: true, ("STAGING_URL", _staging.Address.ToString()));
    }

    public async Task DisposeAsync()
    {
        await Prod.DisposeAsync();
        await _staging!.DisposeAsync();
    }

    private static byte[] Delivery(string action, long jobId, string repository)
    {
        var payload = Payloads.Queued(owner: RiseProject, ownerLogin: "riseproject-dev", repository: repository);
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    [Fact]
    public async Task A_staging_repository_lands_in_staging_only_with_the_staging_image()
    {
        Assert.Equal((200, "Job 2001 stored."), await Prod.DeliverAsync("workflow_job", Delivery("queued", 2001, "riseproject-dev/riscv-runner-sample")));

        var row = Assert.Single(await Rows.JobsAsync(_database, "staging"));
        Assert.EndsWith(":ubuntu-24.04-staging", row.K8sImage, StringComparison.Ordinal);
        Assert.Empty(await Rows.JobsAsync(_database, "prod"));
    }

    [Fact]
    public async Task Another_repository_of_the_same_entity_stays_in_prod_with_the_latest_image()
    {
        Assert.Equal((200, "Job 2002 stored."), await Prod.DeliverAsync("workflow_job", Delivery("queued", 2002, "riseproject-dev/some-project")));

        var row = Assert.Single(await Rows.JobsAsync(_database, "prod"));
        Assert.EndsWith(":ubuntu-24.04-latest", row.K8sImage, StringComparison.Ordinal);
        Assert.Empty(await Rows.JobsAsync(_database, "staging"));
    }

    [Fact]
    public async Task In_progress_and_completed_are_forwarded_too()
    {
        const string repository = "riseproject-dev/RISCV-Runner";
        Assert.Equal((200, "Job 2003 stored."), await Prod.DeliverAsync("workflow_job", Delivery("queued", 2003, repository)));
        Assert.Equal((200, "Job 2003 marked running (was pending)."), await Prod.DeliverAsync("workflow_job", Delivery("in_progress", 2003, repository)));
        Assert.Equal((200, "Job 2003 completed (was running)."), await Prod.DeliverAsync("workflow_job", Delivery("completed", 2003, repository)));
        Assert.Equal((200, "Ignoring action: waiting"), await Prod.DeliverAsync("workflow_job", Delivery("waiting", 2003, repository)));

        Assert.Equal("completed", Assert.Single(await Rows.JobsAsync(_database, "staging")).Status);
    }

    [Fact]
    public async Task A_forged_delivery_is_refused_at_prod_and_never_reaches_staging()
    {
        await using var stub = await StubStaging.StartAsync(TimeSpan.Zero);
        await using var prod = await GhfeServer.StartAsync(_database, prod: true, ("STAGING_URL", stub.Address.ToString()));
        var body = Delivery("queued", 2004, "riseproject-dev/riscv-runner");

        var forged = await prod.SendAsync(body, ("X-GitHub-Event", "workflow_job"), ("X-Hub-Signature-256", "sha256=" + new string('1', 64)));
        var genuine = await prod.DeliverAsync("workflow_job", body);

        Assert.Equal((401, "Invalid signature"), forged);
        Assert.Equal((200, "stub staging"), genuine);
        Assert.Equal(1, stub.Received);
    }

    [Fact]
    public async Task Staging_never_forwards_even_with_STAGING_URL_set()
    {
        await using var stub = await StubStaging.StartAsync(TimeSpan.Zero);
        await using var staging = await GhfeServer.StartAsync(_database, prod: false, ("STAGING_URL", stub.Address.ToString()));

        Assert.Equal((200, "Job 2005 stored."), await staging.DeliverAsync("workflow_job", Delivery("queued", 2005, "riseproject-dev/riscv-runner")));
        Assert.Equal(0, stub.Received);
    }

    [Fact]
    public async Task Staging_down_is_a_502()
    {
        await using var prod = await GhfeServer.StartAsync(_database, prod: true, ("STAGING_URL", $"http://127.0.0.1:{ClosedPort()}/"));

        var (status, text) = await prod.DeliverAsync("workflow_job", Delivery("queued", 2006, "riseproject-dev/riscv-runner"));

        Assert.Equal(502, status);
        Assert.StartsWith("Staging is unreachable (http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Empty(await Rows.JobsAsync(_database, "prod"));
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task A_staging_that_sleeps_30_s_is_a_502_within_GitHubs_10_s()
    {
        await using var stub = await StubStaging.StartAsync(TimeSpan.FromSeconds(30));
        await using var prod = await GhfeServer.StartAsync(_database, prod: true, ("STAGING_URL", stub.Address.ToString()));
        var clock = Stopwatch.StartNew();

        var (status, text) = await prod.DeliverAsync("workflow_job", Delivery("queued", 2007, "riseproject-dev/riscv-runner"));

        Assert.Equal(502, status);
        Assert.StartsWith("Staging did not answer within 8 s", text, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(10));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
