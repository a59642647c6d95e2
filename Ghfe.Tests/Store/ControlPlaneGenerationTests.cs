using System.Text.Json.Nodes;
using Ghfe.Configuration;
using Ghfe.History;
using Ghfe.Pages;
using Ghfe.Store;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>
/// The control plane's generation on a real PostgreSQL: the schema made or adopted, the rows its
/// scheduler reads, the NOTIFY it waits on, and an installation_events row for every delivery.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ControlPlaneGenerationTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Image = "rg.fr-par.scw.cloud/funcscwriseriscvrunnerappqdvknz9s/riscv-runner:ubuntu-24.04-staging";

    private string _database = string.Empty;
    private GhfeServer? _ghfe;

    private GhfeServer Ghfe => _ghfe!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _ghfe = await GhfeServer.StartAsync(_database, prod: false, ControlPlane.Setting);
    }

    public async Task DisposeAsync()
    {
        if (_ghfe is not null)
        {
            await _ghfe.DisposeAsync();
        }
    }

    private Task<(int Status, string Text)> Send(string action, long jobId, params (string Field, JsonNode? Value)[] fields) =>
        ControlPlane.DeliverAsync(Ghfe, "workflow_job", ControlPlane.Job(action, jobId, fields: fields));

    [Fact]
    public async Task An_empty_schema_is_made_as_the_control_plane_documents_it()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            SELECT (SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, ordinal_position)
                    FROM information_schema.columns WHERE table_schema = 'staging' AND table_name IN ('jobs', 'installation_events')),
                   (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes
                    WHERE schemaname = 'staging' AND tablename IN ('jobs', 'workers', 'installation_events')),
                   (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'entity_type_enum')
            """,
            connection);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(
            "installation_events.id,installation_events.source,installation_events.event,installation_events.outcome,installation_events.installation_id,"
            + "installation_events.app_id,installation_events.entity_type,installation_events.entity_id,installation_events.entity_name,installation_events.payload,"
            + "installation_events.received_at,jobs.job_id,jobs.job_name,jobs.job_conclusion,jobs.job_created_at,jobs.job_started_at,jobs.job_completed_at,jobs.status,"
            + "jobs.failure_info,jobs.provider,jobs.entity_id,jobs.entity_name,jobs.entity_type,jobs.repo_full_name,jobs.installation_id,jobs.job_labels,"
            + "jobs.k8s_selector,jobs.k8s_image,jobs.k8s_pod,jobs.html_url,jobs.created_at,jobs.updated_at",
            reader.GetString(0));
        Assert.Equal(
            "idx_install_events_entity,idx_install_events_installation,idx_jobs_active,idx_jobs_created,idx_jobs_live,idx_jobs_reconcile,idx_jobs_repo,"
            + "idx_workers_active,installation_events_pkey,jobs_pkey,workers_pkey",
            reader.GetString(1));
        Assert.Equal("Organization,User", reader.GetString(2));
    }

    [Fact]
    public async Task Queued_stores_the_schedulers_row_wakes_it_and_records_job_stored()
    {
        await using var listener = await Listener.StartAsync(_database, "staging_queue_event");
        var body = ControlPlane.Job("queued", 1001, labels: ["ubuntu-24.04-riscv", "a-first"]);

        Assert.Equal((200, "Job 1001 stored."), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", body));
        Assert.Equal((200, "Job 1001 already exists."), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", body));

        var row = Assert.Single(await ControlPlane.JobsAsync(_database));
        Assert.Equal(
            new ControlPlane.JobRow(
                1001, "pending", "github", 21003710, "pytorch", "Organization", "pytorch/pytorch", 3456996, """["a-first", "ubuntu-24.04-riscv"]""",
                """{"riseproject.dev/board": "scw-em-rv1"}""", Image, null, "https://github.com/octo-org/octo-repo/runs/1291536064", "update", null,
                DateTimeOffset.Parse("2021-09-13T02:21:13Z"), null, null),
            row);
        Assert.Equal(["1001"], await listener.HeardAsync());
        var events = await ControlPlane.EventsAsync(_database);
        Assert.Equal(["job_stored", "job_already_exists"], events.Select(e => e.Outcome));
        var stored = events[0];
        Assert.Equal(("webhook", "workflow_job.queued", 3456996L, 987654L, "Organization", 21003710L, "pytorch"),
            (stored.Source, stored.Event, stored.InstallationId!.Value, stored.AppId!.Value, stored.EntityType, stored.EntityId!.Value, stored.EntityName));
        Assert.Null(stored.Payload["repository"]!["url"]);
        Assert.Null(stored.Payload["repository"]!["owner"]!["avatar_url"]);
        Assert.Null(stored.Payload["workflow_job"]!["steps"]);
        Assert.Equal("https://github.com/octo-org/octo-repo/runs/1291536064", (string?)stored.Payload["workflow_job"]!["html_url"]);
    }

    [Fact]
    public async Task A_users_job_is_keyed_by_its_owner_and_the_routes_provider_joins_the_selector()
    {
        var routing = Path.Combine(Path.GetTempPath(), $"ghfe-routing-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(routing, (await File.ReadAllTextAsync(RoutingFile.ShippedPath)).Replace(
            """{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" }""",
            """{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04", "provider": "scaleway" }""",
            StringComparison.Ordinal));
        try
        {
            await using var ghfe = await GhfeServer.StartAsync(_database, prod: false, ControlPlane.Setting, ("GHFE_CONFIG", routing));
            var body = ControlPlane.Job("queued", 1002, owner: 42, login: "someone", type: "User", repository: "someone/project");

            Assert.Equal((200, "Job 1002 stored."), await ControlPlane.DeliverAsync(ghfe, "workflow_job", body));

            var row = Assert.Single(await ControlPlane.JobsAsync(_database));
            Assert.Equal((42L, "User"), (row.EntityId, row.EntityType));
            Assert.Equal("""{"riseproject.dev/board": "scw-em-rv1", "riseproject.dev/provider": "scaleway"}""", row.K8sSelector);
            Assert.Equal(("User", 42L), Assert.Single(await ControlPlane.EventsAsync(_database)) is var e ? (e.EntityType, e.EntityId!.Value) : default);
        }
        finally
        {
            File.Delete(routing);
        }
    }

    [Fact]
    public async Task In_progress_and_completed_fill_githubs_account_and_the_first_value_stays()
    {
        await Send("queued", 1003);
        Assert.Equal((200, "Job 1003 marked running (was pending)."),
            await Send("in_progress", 1003, ("runner_name", "pod-a"), ("started_at", "2026-01-02T03:04:05Z")));
        Assert.Equal((200, "Job 1003 unchanged (is running)."),
            await Send("in_progress", 1003, ("runner_name", "pod-b"), ("started_at", "2026-01-02T09:09:09Z")));
        Assert.Equal((200, "Job 1003 completed (was running)."),
            await Send("completed", 1003, ("runner_name", "pod-c"), ("started_at", "2026-01-02T09:09:09Z"), ("completed_at", "2026-01-02T04:00:00Z"), ("conclusion", "success")));
        Assert.Equal((200, "Job 1003 unchanged (is completed)."),
            await Send("completed", 1003, ("completed_at", "2026-01-03T00:00:00Z"), ("conclusion", "failure")));

        var row = Assert.Single(await ControlPlane.JobsAsync(_database));
        Assert.Equal(("completed", "pod-a", "success"), (row.Status, row.K8sPod, row.JobConclusion));
        Assert.Equal((DateTimeOffset.Parse("2026-01-02T03:04:05Z"), DateTimeOffset.Parse("2026-01-02T04:00:00Z")), (row.JobStartedAt!.Value, row.JobCompletedAt!.Value));
        Assert.Equal(
            ["job_stored", "job_marked_running", "job_marked_running", "job_marked_completed", "job_marked_completed"],
            (await ControlPlane.EventsAsync(_database)).Select(e => e.Outcome));

        var page = await Ghfe.Client.GetStringAsync("/jobs/1003");
        Assert.Contains("2026-01-02 04:00:00 UTC · success · ran ", page, StringComparison.Ordinal);
        Assert.Contains("<code class=\"image\"><span>pod-<wbr>a</span></code>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_runner_name_leaves_k8s_pod_null_never_empty()
    {
        await Send("queued", 1004);
        await Send("in_progress", 1004, ("runner_name", null), ("started_at", null));
        await Send("queued", 1005);
        await Send("in_progress", 1005, ("runner_name", ""));

        var rows = await ControlPlane.JobsAsync(_database);
        Assert.All(rows, row => Assert.Equal(("running", (string?)null), (row.Status, row.K8sPod)));
        Assert.Null(rows[0].JobStartedAt);
    }

    [Fact]
    public async Task Failed_is_terminal()
    {
        await Send("queued", 1006);
        await Rows.ExecuteAsync(_database, "UPDATE staging.jobs SET status = 'failed' WHERE job_id = 1006");

        Assert.Equal((200, "Job 1006 unchanged (is failed)."), await Send("in_progress", 1006, ("runner_name", "pod-x")));
        Assert.Equal((200, "Job 1006 unchanged (is failed)."), await Send("completed", 1006, ("conclusion", "success")));
        Assert.Equal((200, "Job 1006 already exists."), await Send("queued", 1006));

        var row = Assert.Single(await ControlPlane.JobsAsync(_database));
        Assert.Equal(("failed", null, null), (row.Status, row.K8sPod, row.JobConclusion));
    }

    [Fact]
    public async Task An_event_for_a_job_never_seen_records_it_and_its_row_says_job_not_found()
    {
        Assert.Equal((200, "Job 1007 recorded as running (no queued event seen)."), await Send("in_progress", 1007, ("runner_name", "pod-z")));

        var row = Assert.Single(await ControlPlane.JobsAsync(_database));
        Assert.Equal(("running", "pod-z", """{"riseproject.dev/board": "scw-em-rv1"}"""), (row.Status, row.K8sPod, row.K8sSelector));
        Assert.Equal("job_not_found", Assert.Single(await ControlPlane.EventsAsync(_database)).Outcome);
    }

    [Fact]
    public async Task Without_the_app_id_it_is_400_after_the_signature_and_no_row()
    {
        var body = ControlPlane.Job("queued", 1008);

        Assert.Equal((400, "Missing X-GitHub-Hook-Installation-Target-Id header"), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", body, appId: null));
        Assert.Equal(401, (await Ghfe.SendAsync(body, (Event.Header, "workflow_job"), (Signature.Header, "sha256=" + new string('0', 64)))).Status);

        Assert.Empty(await ControlPlane.JobsAsync(_database));
        Assert.Empty(await ControlPlane.EventsAsync(_database));
    }

    [Fact]
    public async Task Deliveries_that_store_no_job_write_their_row_too()
    {
        Assert.Equal((200, "Ignoring action: waiting"), await Send("waiting", 1009));
        Assert.Equal(200, (await ControlPlane.DeliverAsync(Ghfe, "workflow_job", ControlPlane.Job("queued", 1010, labels: ["ubuntu-latest"]))).Status);
        Assert.Equal((200, "pong"), await ControlPlane.DeliverAsync(Ghfe, "ping", Payloads.Bytes("ping.json")));
        Assert.Equal(200, (await ControlPlane.DeliverAsync(Ghfe, "check_run", Payloads.Bytes("check_run.completed.json"))).Status);

        var events = await ControlPlane.EventsAsync(_database);
        Assert.Equal(
            [("workflow_job.waiting", "ignored_action"), ("workflow_job.queued", "ignored_no_label"), ("ping", "ok"), ("check_run", "ignored_event")],
            events.Select(e => (e.Event, e.Outcome)));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"workflow_job":{"labels":["ubuntu-latest"],"html_url":"https://github.com/octo-org/octo-repo/runs/1291536064"},"repository":{"full_name":"pytorch/pytorch"}}"""),
            events[1].Payload));
        Assert.NotNull(events[0].Payload["sender"]);
        Assert.Null(events[0].Payload["sender"]!["url"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Payloads.Bytes("check_run.completed.json")), events[3].Payload));
        Assert.All(events, e => Assert.Equal(987654L, e.AppId));
        Assert.Empty(await ControlPlane.JobsAsync(_database));
    }

    [Fact]
    public async Task A_signed_body_that_is_no_JSON_object_is_a_400_with_no_row()
    {
        Assert.Equal((400, "Invalid payload: body is not valid JSON"), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", ""u8.ToArray()));
        Assert.Equal((400, "Invalid payload: body is not valid JSON"), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", "not json"u8.ToArray()));
        Assert.Equal((400, "Invalid payload: body must be a JSON object"), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", "[1]"u8.ToArray()));

        Assert.Empty(await ControlPlane.EventsAsync(_database));
        Assert.Empty(await ControlPlane.JobsAsync(_database));
    }

    [Fact]
    public async Task A_payload_PostgreSQL_compresses_is_compressed_with_lz4()
    {
        Assert.Equal((200, "pong"), await ControlPlane.DeliverAsync(Ghfe, "ping", Payloads.Bytes("ping.json")));
        Assert.Equal((200, "Job 1013 stored."), await Send("queued", 1013));

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            SELECT (SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'),
                   (SELECT string_agg(event || ' ' || coalesce(pg_column_compression(payload), 'none'), ', ' ORDER BY id) FROM staging.installation_events)
            """,
            connection);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();

        // ping.json is 7 KB kept whole, a job's kept payload about 2 KB: both past the size PostgreSQL
        // compresses at. A server built without lz4 keeps its default.
        var compression = reader.GetBoolean(0) ? "lz4" : "pglz";
        Assert.Equal($"ping {compression}, workflow_job.queued {compression}", reader.GetString(1));
    }

    [Fact]
    public async Task The_pages_read_the_board_from_the_selector()
    {
        await Send("queued", 1011);
        await Send("queued", 1012);
        await Send("in_progress", 1012, ("runner_name", "pod-r"), ("started_at", "2026-01-02T03:04:05Z"));
        await using var dataSource = NpgsqlDataSource.Create(ConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(_database), "staging"));

        var usage = await PageQueries.UsageAsync(dataSource, SchemaGeneration.ControlPlane, CancellationToken.None);
        var counts = await QueueCounts.ReadAsync(dataSource, SchemaGeneration.ControlPlane, CancellationToken.None);
        var job = await PageQueries.JobAsync(dataSource, 1012, SchemaGeneration.ControlPlane, CancellationToken.None);
        var history = await PageQueries.HistoryAsync(
            dataSource, HistoryQuery.Parse(new Dictionary<string, string[]>(), DateTimeOffset.UtcNow).Match(Right: f => f, Left: problem => throw new InvalidOperationException(problem)),
            SchemaGeneration.ControlPlane, CancellationToken.None);

        Assert.All(usage.Jobs, active => Assert.Equal("scw-em-rv1", active.Pool));
        Assert.Equal(["pending", "running"], counts.Select(c => c.Status).Order());
        Assert.All(counts, count => Assert.Equal("scw-em-rv1", count.Pool));
        Assert.Equal(("scw-em-rv1", DateTimeOffset.Parse("2026-01-02T03:04:05Z"), "pod-r", null), (job.Job!.Pool, job.Job.StartedAt!.Value, job.Job.Pod, job.Job.Conclusion));
        Assert.Equal(2, history.Jobs.Count);
    }

    [Fact]
    public async Task Text_jsonb_cannot_hold_never_costs_the_job_its_row()
    {
        var body = System.Text.Encoding.UTF8.GetString(ControlPlane.Job("queued", 1013, fields: [("head_branch", "a\u0000b")]))
            .Replace("a\\u0000b", "a\\u0000b\\ud800", StringComparison.Ordinal);
        Assert.Contains("\\u0000", body, StringComparison.Ordinal);

        Assert.Equal((200, "Job 1013 stored."), await ControlPlane.DeliverAsync(Ghfe, "workflow_job", System.Text.Encoding.UTF8.GetBytes(body)));

        var row = Assert.Single(await ControlPlane.EventsAsync(_database));
        Assert.Equal(("job_stored", "a\uFFFDb\uFFFD"), (row.Outcome, (string?)row.Payload["workflow_job"]!["head_branch"]));
    }
}
