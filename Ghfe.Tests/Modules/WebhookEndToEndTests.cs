using System.Text.Json.Nodes;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Modules;

/// <summary>Signed deliveries over HTTP to a real ghfe on a real PostgreSQL: rows, NOTIFYs, answers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookEndToEndTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private const string Image = "rg.fr-par.scw.cloud/funcscwriseriscvrunnerappqdvknz9s/riscv-runner:ubuntu-24.04-staging";

    private static byte[] Delivery(string action, long jobId, string[]? labels = null, long owner = 42, string login = "someone", string repository = "someone/project")
    {
        var payload = Payloads.Queued(labels, owner, login, repository: repository);
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    private Task<(int, string)> Send(string action, long jobId, string[]? labels = null) =>
        Ghfe.DeliverAsync("workflow_job", Delivery(action, jobId, labels));

    [Fact]
    public async Task Queued_job_is_stored_with_sorted_labels_and_wakes_the_scheduler()
    {
        await using var listener = await Listener.StartAsync(Database, "staging_queue_event");
        var body = Delivery("queued", 1001, ["ubuntu-24.04-riscv", "linux.riscv64.xlarge", "a-first"], owner: 21003710, login: "pytorch", repository: "pytorch/pytorch");

        Assert.Equal((200, "Job 1001 stored."), await Ghfe.DeliverAsync("workflow_job", body));

        var row = Assert.Single(await Rows.JobsAsync(Database));
        Assert.Equal(
            new Rows.JobRow(1001, "pending", "github", 21003710, "pytorch", "Organization", "pytorch/pytorch", 3456996,
                """["a-first", "linux.riscv64.xlarge", "ubuntu-24.04-riscv"]""", "scw-em-rv1", Image,
                "https://github.com/octo-org/octo-repo/runs/1291536064", null),
            row);
        Assert.Equal(["1001"], await listener.HeardAsync());
    }

    [Fact]
    public async Task A_second_copy_answers_already_exists_and_does_not_notify()
    {
        Assert.Equal((200, "Job 1002 stored."), await Send("queued", 1002));
        await using var listener = await Listener.StartAsync(Database, "staging_queue_event");

        Assert.Equal((200, "Job 1002 already exists."), await Send("queued", 1002));

        Assert.Single(await Rows.JobsAsync(Database));
        Assert.Empty(await listener.HeardAsync());
    }

    [Fact]
    public async Task A_job_moves_forward_only()
    {
        Assert.Equal((200, "Job 1003 stored."), await Send("queued", 1003));
        Assert.Equal((200, "Job 1003 marked running (was pending)."), await Send("in_progress", 1003));
        Assert.Equal((200, "Job 1003 unchanged (is running)."), await Send("in_progress", 1003));
        Assert.Equal((200, "Job 1003 completed (was running)."), await Send("completed", 1003));
        Assert.Equal((200, "Job 1003 unchanged (is completed)."), await Send("in_progress", 1003));
        Assert.Equal((200, "Job 1003 unchanged (is completed)."), await Send("completed", 1003));
        Assert.Equal((200, "Job 1003 already exists."), await Send("queued", 1003));

        Assert.Equal("completed", Assert.Single(await Rows.JobsAsync(Database)).Status);
    }

    [Fact]
    public async Task Completed_straight_from_pending()
    {
        await Send("queued", 1004);
        Assert.Equal((200, "Job 1004 completed (was pending)."), await Send("completed", 1004));
    }

    [Fact]
    public async Task Late_queued_does_not_resurrect_completed_job()
    {
        await using var listener = await Listener.StartAsync(Database, "staging_queue_event");

        Assert.Equal((200, "Job 1005 recorded as completed (no queued event seen)."), await Send("completed", 1005));
        Assert.Equal((200, "Job 1005 already exists."), await Send("queued", 1005));
        Assert.Equal((200, "Job 1005 unchanged (is completed)."), await Send("in_progress", 1005));

        var row = Assert.Single(await Rows.JobsAsync(Database));
        Assert.Equal(("completed", "scw-em-rv1", 3456996L), (row.Status, row.K8sPool, row.InstallationId));
        Assert.Empty(await listener.HeardAsync());
    }

    [Fact]
    public async Task In_progress_before_queued_is_kept_and_then_completed()
    {
        Assert.Equal((200, "Job 1006 recorded as running (no queued event seen)."), await Send("in_progress", 1006));
        Assert.Equal((200, "Job 1006 already exists."), await Send("queued", 1006));
        Assert.Equal((200, "Job 1006 completed (was running)."), await Send("completed", 1006));
    }

    [Fact]
    public async Task Failed_set_by_the_scheduler_is_terminal()
    {
        await Send("queued", 1007);
        await Rows.ExecuteAsync(Database, "UPDATE staging.jobs SET status = 'failed' WHERE job_id = 1007");

        Assert.Equal((200, "Job 1007 unchanged (is failed)."), await Send("in_progress", 1007));
        Assert.Equal((200, "Job 1007 unchanged (is failed)."), await Send("completed", 1007));
        Assert.Equal("failed", Assert.Single(await Rows.JobsAsync(Database)).Status);
    }

    [Fact]
    public async Task A_completed_event_without_installation_stores_zero()
    {
        var payload = Payloads.Edit("otel.workflow_job.completed.json");
        payload["workflow_job"]!["labels"] = new JsonArray(JsonValue.Create("ubuntu-24.04-riscv"));
        payload.Remove("installation");

        Assert.Equal((200, "Job 35483121697 recorded as completed (no queued event seen)."), await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload)));
        Assert.Equal(0, Assert.Single(await Rows.JobsAsync(Database)).InstallationId);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_delivery_give_one_row_and_one_notify()
    {
        await using var listener = await Listener.StartAsync(Database, "staging_queue_event");
        var body = Delivery("queued", 1008);

        var answers = await Task.WhenAll(Enumerable.Range(0, 48).Select(_ => Ghfe.DeliverAsync("workflow_job", body)));

        Assert.Single(answers, answer => answer == (200, "Job 1008 stored."));
        Assert.Equal(47, answers.Count(answer => answer == (200, "Job 1008 already exists.")));
        Assert.Single(await Rows.JobsAsync(Database));
        Assert.Equal(["1008"], await listener.HeardAsync());
    }

    [Fact]
    public async Task Concurrent_events_of_one_job_in_any_order_settle_on_completed()
    {
        await using var listener = await Listener.StartAsync(Database, "staging_queue_event");
        string[] actions = ["queued", "in_progress", "completed", "queued", "in_progress", "completed"];

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(_ => actions).Select(action => Send(action, 1009)));

        Assert.All(answers, answer => Assert.Equal(200, answer.Item1));
        Assert.Equal("completed", Assert.Single(await Rows.JobsAsync(Database)).Status);
        Assert.True((await listener.HeardAsync()).Count <= 1, "at most one NOTIFY for one job");
    }

    [Fact]
    public async Task The_largest_ids_are_stored_exactly()
    {
        Assert.Equal((200, "Job 9007199254740993 stored."), await Send("queued", 9007199254740993));
        Assert.Equal((200, "Job 9223372036854775807 stored."), await Send("queued", long.MaxValue));

        Assert.Equal([9007199254740993, long.MaxValue], (await Rows.JobsAsync(Database)).Select(row => row.JobId));
    }

    [Fact]
    public async Task An_unrouted_job_is_ignored_and_not_stored()
    {
        Assert.Equal((200, "Ignoring job: missing required platform label (got [\"ubuntu-latest\"])"), await Send("queued", 1010, ["ubuntu-latest"]));
        Assert.Empty(await Rows.JobsAsync(Database));
    }

    [Fact]
    public async Task Header_names_are_case_insensitive()
    {
        var body = Delivery("queued", 1011);
        var signed = Deliveries.Signed("workflow_job", body);

        var answer = await Ghfe.SendAsync(body, ("x-github-event", "workflow_job"), ("X-HUB-SIGNATURE-256", signed.Signature!));

        Assert.Equal((200, "Job 1011 stored."), answer);
    }

    [Theory]
    [InlineData(false, true, 400, "Missing X-GitHub-Event header")]
    [InlineData(true, false, 400, "Missing X-Hub-Signature-256 header")]
    public async Task Missing_headers_are_refused(bool withEvent, bool withSignature, int status, string text)
    {
        var body = Delivery("queued", 1012);
        var headers = new List<(string, string)>();
        if (withEvent)
        {
            headers.Add(("X-GitHub-Event", "workflow_job"));
        }

        if (withSignature)
        {
            headers.Add(("X-Hub-Signature-256", Deliveries.Signed("workflow_job", body).Signature!));
        }

        Assert.Equal((status, text), await Ghfe.SendAsync(body, [.. headers]));
        Assert.Empty(await Rows.JobsAsync(Database));
    }

    [Fact]
    public async Task A_forged_delivery_is_refused_and_stores_nothing()
    {
        var body = Delivery("queued", 1013);
        var answer = await Ghfe.SendAsync(body, ("X-GitHub-Event", "workflow_job"), ("X-Hub-Signature-256", "sha256=" + new string('0', 64)));

        Assert.Equal((401, "Invalid signature"), answer);
        Assert.Empty(await Rows.JobsAsync(Database));
    }

    [Fact]
    public async Task Ping_answers_pong()
    {
        Assert.Equal((200, "pong"), await Ghfe.DeliverAsync("ping", Payloads.Bytes("ping.json")));
    }

    [Fact]
    public async Task Other_events_are_ignored()
    {
        Assert.Equal((200, "Ignoring workflow_run event"), await Ghfe.DeliverAsync("workflow_run", Payloads.Bytes("workflow_run.completed.json")));
    }

    [Fact]
    public async Task A_body_over_25_MiB_is_refused_before_anything_else()
    {
        var huge = new byte[(25 * 1024 * 1024) + 1];

        // Without Expect: 100-continue the answer still comes first, but the client may see only the closed socket.
        var answer = await Ghfe.SendAsync(huge, expectContinue: true, ("X-GitHub-Event", "workflow_job"));

        Assert.Equal((413, "Payload too large: the limit is 25 MiB (26214400 bytes)"), answer);
    }

    [Fact]
    public async Task A_body_of_exactly_25_MiB_is_read()
    {
        var payload = Payloads.Serialize(Payloads.Queued());
        var padded = new byte[25 * 1024 * 1024];
        Array.Fill(padded, (byte)' ');
        payload.CopyTo(padded, 0);

        Assert.Equal((200, "Job 289782451 stored."), await Ghfe.DeliverAsync("workflow_job", padded));
    }

    [Fact]
    public async Task Bad_json_is_a_400_not_a_500()
    {
        Assert.Equal((400, "Invalid payload: body is not valid JSON"), await Ghfe.DeliverAsync("workflow_job", "{nope"u8.ToArray()));
    }

    [Fact]
    public async Task Health_and_readiness()
    {
        using var health = await Ghfe.Client.GetAsync("/health");
        using var ready = await Ghfe.Client.GetAsync("/health/ready");

        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Contains("database: up", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
