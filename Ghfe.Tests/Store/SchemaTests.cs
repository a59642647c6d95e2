using Ghfe.Store;
using Ghfe.Tests.Support;
using Npgsql;

namespace Ghfe.Tests.Store;

[Collection(PostgresCollection.Name)]
public sealed class SchemaTests(PostgresCluster cluster)
{
    /// <summary>What the Python handler's ensure_schema() created before 'failed' and 'provider' existed.</summary>
    private const string LegacySchema = """
        CREATE SCHEMA staging;
        SET search_path TO staging;
        CREATE TYPE status_enum AS ENUM ('pending', 'running', 'completed');
        CREATE TABLE jobs (
            job_id BIGINT PRIMARY KEY, status status_enum NOT NULL DEFAULT 'pending',
            entity_id BIGINT NOT NULL, entity_name TEXT NOT NULL, entity_type TEXT NOT NULL,
            repo_full_name TEXT NOT NULL, installation_id BIGINT NOT NULL,
            job_labels JSONB NOT NULL DEFAULT '[]', k8s_pool TEXT NOT NULL, k8s_image TEXT NOT NULL,
            html_url TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE TABLE workers (
            pod_name TEXT PRIMARY KEY, entity_id BIGINT NOT NULL, k8s_pool TEXT NOT NULL,
            job_labels JSONB, k8s_image TEXT, status status_enum NOT NULL DEFAULT 'pending', failure_info JSONB,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE INDEX idx_jobs_active ON jobs (entity_id, job_labels, created_at) WHERE status != 'completed';
        INSERT INTO jobs (job_id, status, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                          job_labels, k8s_pool, k8s_image, html_url, created_at, updated_at)
        VALUES (7001, 'pending', 42, 'someone', 'Organization', 'someone/project', 99, '["ubuntu-24.04-riscv"]',
                'scw-em-rv1', 'old-image', 'https://github.com/someone/project/runs/7001', '2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z'),
               (7002, 'running', 42, 'someone', 'Organization', 'someone/project', 99, '["ubuntu-24.04-riscv"]',
                'scw-em-rv1', 'old-image', NULL, '2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z');
        INSERT INTO workers (pod_name, entity_id, k8s_pool, job_labels, k8s_image, status)
        VALUES ('runner-abc', 42, 'scw-em-rv1', '["ubuntu-24.04-riscv"]', 'old-image', 'running');
        """;

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task EnsureAsync(string database, string schema = "staging")
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await Schema.EnsureAsync(dataSource, schema, CancellationToken.None);
    }

    [Fact]
    public async Task Creates_the_contract_schema()
    {
        var database = await cluster.CreateDatabaseAsync();
        await EnsureAsync(database);

        var columns = await ScalarAsync<string>(database, """
            SELECT string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable, ' ' ORDER BY table_name, ordinal_position)
            FROM information_schema.columns WHERE table_schema = 'staging' AND table_name IN ('jobs', 'workers')
            """);
        var ghfeOwn = await ScalarAsync<string>(database, "SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'staging'");
        var indexes = await ScalarAsync<string>(database, "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'staging'");
        var statuses = await ScalarAsync<string>(database, "SELECT string_agg(e.enumlabel, ' ' ORDER BY e.enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'status_enum' AND n.nspname = 'staging'");

        Assert.Equal(
            "jobs.job_id:bigint:NO jobs.status:USER-DEFINED:NO jobs.failure_info:jsonb:YES jobs.provider:USER-DEFINED:NO "
            + "jobs.entity_id:bigint:NO jobs.entity_name:text:NO jobs.entity_type:text:NO jobs.repo_full_name:text:NO "
            + "jobs.installation_id:bigint:NO jobs.job_labels:jsonb:NO jobs.k8s_pool:text:NO jobs.k8s_image:text:NO "
            + "jobs.html_url:text:YES jobs.created_at:timestamp with time zone:NO jobs.updated_at:timestamp with time zone:NO "
            + "jobs.k8s_pod:text:YES jobs.started_at:timestamp with time zone:YES jobs.completed_at:timestamp with time zone:YES "
            + "workers.pod_name:text:NO workers.provider:USER-DEFINED:NO workers.entity_id:bigint:NO workers.entity_name:text:NO "
            + "workers.job_labels:jsonb:NO workers.k8s_pool:text:NO workers.k8s_image:text:NO workers.k8s_node:text:YES "
            + "workers.status:USER-DEFINED:NO workers.failure_info:jsonb:YES workers.created_at:timestamp with time zone:NO "
            + "workers.updated_at:timestamp with time zone:NO",
            columns);
        Assert.Equal("deliveries_pkey idx_deliveries_delivery idx_deliveries_job idx_deliveries_owner idx_deliveries_received idx_jobs_active idx_jobs_created idx_jobs_live idx_jobs_reconcile idx_jobs_repo idx_workers_active job_days_pkey job_days_rolled_pkey jobs_pkey workers_pkey", indexes);
        Assert.Equal("deliveries job_days job_days_rolled jobs workers", ghfeOwn);
        Assert.Equal("pending running completed failed", statuses);
    }

    [Fact]
    public async Task Bootstrap_is_idempotent_and_safe_for_replicas_starting_together()
    {
        var database = await cluster.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => EnsureAsync(database)));
        await EnsureAsync(database);

        Assert.Equal(5L, await ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'staging'"));
    }

    [Fact]
    public async Task Prod_and_staging_live_side_by_side()
    {
        var database = await cluster.CreateDatabaseAsync();
        await EnsureAsync(database, "prod");
        await EnsureAsync(database, "staging");

        Assert.Equal(10L, await ScalarAsync<long>(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('prod', 'staging')"));
    }

    [Fact]
    public async Task Adopts_a_database_made_by_the_Python_handler_with_its_rows_intact()
    {
        var database = await cluster.CreateDatabaseAsync();
        await Rows.ExecuteAsync(database, LegacySchema);
        var before = await ScalarAsync<string>(database, "SELECT json_agg(j ORDER BY job_id)::text FROM staging.jobs j");

        await using (var ghfe = await GhfeServer.StartAsync(database))
        {
            var payload = Payloads.Queued(owner: 42, ownerLogin: "someone", repository: "someone/project");
            payload["action"] = "completed";
            payload["workflow_job"]!["id"] = 7001;
            Assert.Equal((200, "Job 7001 completed (was pending)."), await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload)));

            payload["action"] = "queued";
            payload["workflow_job"]!["id"] = 7003;
            Assert.Equal((200, "Job 7003 stored."), await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload)));
        }

        var after = await ScalarAsync<string>(database, "SELECT json_agg(j ORDER BY job_id)::text FROM (SELECT job_id, status, entity_id, entity_name, entity_type, repo_full_name, installation_id, job_labels, k8s_pool, k8s_image, html_url, created_at, updated_at FROM staging.jobs WHERE job_id = 7002) j");
        Assert.Contains(after.Trim('[', ']'), before, StringComparison.Ordinal);

        var rows = await Rows.JobsAsync(database);
        Assert.Equal([(7001L, "completed", "github"), (7002L, "running", "github"), (7003L, "pending", "github")], rows.Select(r => (r.JobId, r.Status, r.Provider)));
        Assert.Equal("old-image", rows[0].K8sImage);

        await Rows.ExecuteAsync(database, "UPDATE staging.jobs SET status = 'failed' WHERE job_id = 7002");
        Assert.Equal("runner-abc:github:running", await ScalarAsync<string>(database, "SELECT pod_name || ':' || provider || ':' || status FROM staging.workers"));
    }
}
