using Ghfe.Hosting;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Store;

/// <summary>A schema the control plane's operators made by hand, with its rows: ghfe takes it as it is, and a setting that says otherwise stops it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ControlPlaneAdoptionTests(PostgresCluster cluster)
{
    /// <summary>As riseproject-dev/riscv-runner documents it, applied by hand (not ghfe's copy).</summary>
    private const string ControlPlaneDdl = """
        CREATE SCHEMA staging;
        SET search_path TO staging;
        CREATE TYPE status_enum      AS ENUM ('pending', 'running', 'completed', 'failed');
        CREATE TYPE provider_enum    AS ENUM ('github', 'gitlab', 'azdo');
        CREATE TYPE entity_type_enum AS ENUM ('Organization', 'User');
        CREATE TABLE jobs (
            job_id BIGINT PRIMARY KEY, job_name TEXT, job_conclusion TEXT, job_created_at TIMESTAMPTZ, job_started_at TIMESTAMPTZ,
            job_completed_at TIMESTAMPTZ, status status_enum NOT NULL DEFAULT 'pending', failure_info JSONB, provider provider_enum NOT NULL,
            entity_id BIGINT NOT NULL, entity_name TEXT NOT NULL, entity_type TEXT NOT NULL, repo_full_name TEXT NOT NULL,
            installation_id BIGINT NOT NULL, job_labels JSONB NOT NULL DEFAULT '[]', k8s_selector JSONB NOT NULL, k8s_image TEXT NOT NULL,
            k8s_pod TEXT, html_url TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE INDEX idx_jobs_active    ON jobs (entity_id, job_labels, created_at) WHERE status != 'completed';
        CREATE INDEX idx_jobs_reconcile ON jobs (installation_id)                   WHERE status != 'completed';
        CREATE INDEX idx_jobs_created   ON jobs (created_at DESC);
        CREATE TABLE workers (
            pod_name TEXT PRIMARY KEY, provider provider_enum NOT NULL, entity_id BIGINT NOT NULL, entity_name TEXT NOT NULL,
            entity_type TEXT NOT NULL, installation_id BIGINT NOT NULL, repo_full_name TEXT, job_labels JSONB NOT NULL DEFAULT '[]',
            k8s_selector JSONB NOT NULL, k8s_image TEXT NOT NULL, k8s_node TEXT, status status_enum NOT NULL DEFAULT 'pending',
            failure_info JSONB, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), running_at TIMESTAMPTZ, completed_at TIMESTAMPTZ,
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE TABLE installation_events (
            id BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, event TEXT NOT NULL, outcome TEXT NOT NULL, installation_id BIGINT,
            app_id BIGINT, entity_type entity_type_enum, entity_id BIGINT, entity_name TEXT, payload JSONB NOT NULL,
            received_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE INDEX idx_install_events_installation ON installation_events (installation_id, entity_id);
        CREATE INDEX idx_install_events_entity       ON installation_events (entity_id, received_at DESC);
        INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id, job_labels,
                          k8s_selector, k8s_image, k8s_pod, job_name)
        VALUES (7001, 'pending', 'github', 21003710, 'pytorch', 'Organization', 'pytorch/pytorch', 3456996, '["ubuntu-24.04-riscv"]',
                '{"riseproject.dev/board": "scw-em-rv1", "riseproject.dev/provider": "scaleway"}', 'their-image', NULL, 'theirs'),
               (7002, 'running', 'github', 21003710, 'pytorch', 'Organization', 'pytorch/pytorch', 3456996, '["ubuntu-24.04-riscv"]',
                '{"riseproject.dev/board": "scw-em-rv1"}', 'their-image', 'their-pod', 'theirs');
        INSERT INTO workers (pod_name, provider, entity_id, entity_name, entity_type, installation_id, k8s_selector, k8s_image, status)
        VALUES ('their-pod', 'github', 21003710, 'pytorch', 'Organization', 3456996, '{"riseproject.dev/board": "scw-em-rv1"}', 'their-image', 'running');
        INSERT INTO installation_events (source, event, outcome, payload) VALUES ('scheduler', 'auth_attempt.failed', 'auth_failed', '{}');
        """;

    private async Task<string> ControlPlaneDatabaseAsync()
    {
        var database = await cluster.CreateDatabaseAsync();
        await Rows.ExecuteAsync(database, ControlPlaneDdl);
        return database;
    }

    [Fact]
    public async Task An_existing_control_plane_schema_with_rows_is_adopted_as_it_is()
    {
        var database = await ControlPlaneDatabaseAsync();
        await using var ghfe = await GhfeServer.StartAsync(database);

        Assert.Equal((200, "Job 7003 stored."), await ControlPlane.DeliverAsync(ghfe, "workflow_job", ControlPlane.Job("queued", 7003)));
        Assert.Equal((200, "Job 7001 marked running (was pending)."), await ControlPlane.DeliverAsync(ghfe, "workflow_job", ControlPlane.Job("in_progress", 7001)));
        Assert.Equal((200, "Job 7002 completed (was running)."),
            await ControlPlane.DeliverAsync(ghfe, "workflow_job", ControlPlane.Job("completed", 7002, fields: [("runner_name", "another-pod"), ("conclusion", "success")])));
        var usage = await ghfe.Client.GetStringAsync("/usage.json");

        var jobs = await ControlPlane.JobsAsync(database);
        Assert.Equal([7001L, 7002L, 7003L], jobs.Select(job => job.JobId));
        Assert.Equal(("running", "theirs", "their-image", """{"riseproject.dev/board": "scw-em-rv1", "riseproject.dev/provider": "scaleway"}"""),
            (jobs[0].Status, jobs[0].JobName, jobs[0].K8sImage, jobs[0].K8sSelector));
        Assert.Equal(("completed", "their-pod", "success"), (jobs[1].Status, jobs[1].K8sPod, jobs[1].JobConclusion));
        Assert.Equal("""{"riseproject.dev/board": "scw-em-rv1"}""", jobs[2].K8sSelector);
        Assert.Equal(
            ["auth_failed", "job_stored", "job_marked_running", "job_marked_completed"],
            (await ControlPlane.EventsAsync(database)).Select(e => e.Outcome));
        Assert.Contains("their-pod", usage, StringComparison.Ordinal);
        Assert.Contains("scw-em-rv1", usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_that_contradicts_the_database_stops_start_up_with_one_line()
    {
        var database = await ControlPlaneDatabaseAsync();

        var failure = await Assert.ThrowsAsync<StartupException>(() =>
            Program.BuildAsync(GhfeServer.Arguments(database, prod: false, ("GHFE_SCHEMA_GENERATION", "app")), CancellationToken.None));

        Assert.Equal("GHFE_SCHEMA_GENERATION is app but schema staging holds the control-plane generation (jobs.k8s_selector)", failure.Message);
        Assert.Equal(2, (await ControlPlane.JobsAsync(database)).Count);
    }

    [Fact]
    public async Task An_app_schema_named_control_plane_stops_start_up_too()
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        await dataSource.DisposeAsync();

        var failure = await Assert.ThrowsAsync<StartupException>(() =>
            Program.BuildAsync(GhfeServer.Arguments(database, prod: false, ControlPlane.Setting), CancellationToken.None));

        Assert.Equal("GHFE_SCHEMA_GENERATION is control-plane but schema staging holds the app generation (jobs without k8s_selector)", failure.Message);
    }

    [Fact]
    public async Task An_unknown_generation_is_refused()
    {
        var failure = await Assert.ThrowsAsync<StartupException>(() =>
            Program.BuildAsync(GhfeServer.Arguments("Host=127.0.0.1", prod: false, ("GHFE_SCHEMA_GENERATION", "go")), CancellationToken.None));

        Assert.Equal("GHFE_SCHEMA_GENERATION must be app or control-plane (got \"go\")", failure.Message);
    }
}
