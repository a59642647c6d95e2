using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Creates what is missing of the scheduler's schema, and adopts a database the Python
/// handler or the control plane created with its rows intact, in the generation it holds.
/// Idempotent, and serialised between replicas.
/// </summary>
public static class Schema
{
    // Any fixed key works: every ghfe replica and version takes the same one ("ghfe" in ASCII).
    private const long BootstrapLockKey = 0x67686665;

    /// <summary>Makes or adopts the schema; the generation it holds (an empty one: the app's).</summary>
    public static Task<SchemaGeneration> EnsureAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken) =>
        EnsureAsync(dataSource, schema, null, cancellationToken);

    /// <summary>
    /// Makes or adopts the schema, in one transaction. The generation is the database's when it
    /// holds a <c>jobs</c> table (<c>jobs.k8s_selector</c>: the control plane's), else
    /// <paramref name="configured"/>'s (the app's when null). A <paramref name="configured"/> generation the
    /// database contradicts throws <see cref="SchemaGenerationConflict"/>, and nothing is made.
    /// </summary>
    public static async Task<SchemaGeneration> EnsureAsync(NpgsqlDataSource dataSource, string schema, SchemaGeneration? configured, CancellationToken cancellationToken)
    {
        if (schema is not ("prod" or "staging"))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), schema, "the schema is prod or staging");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(Preamble(schema), connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var found = await FoundAsync(connection, transaction, cancellationToken);
        if (configured is { } named && found is { } held && named != held)
        {
            throw new SchemaGenerationConflict(schema, named, held);
        }

        var generation = found ?? configured ?? SchemaGeneration.App;
        var ddl = (generation, found) switch
        {
            (SchemaGeneration.App, _) => AppScheduler,
            (_, null) => ControlPlaneDdl,
            _ => string.Empty,
        };
        await using (var command = new NpgsqlCommand(ddl + GhfeOwn, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return generation;
    }

    /// <summary>The generation the schema holds; none while it has no <c>jobs</c> table.</summary>
    private static async Task<SchemaGeneration?> FoundAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT to_regclass('jobs') IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_attribute
                           WHERE attrelid = to_regclass('jobs') AND attname = 'k8s_selector' AND NOT attisdropped)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetBoolean(1)) switch
        {
            (false, _) => null,
            (true, true) => SchemaGeneration.ControlPlane,
            (true, false) => SchemaGeneration.App,
        };
    }

    /// <summary>Replicas starting together wait on the advisory lock; what follows runs in the schema.</summary>
    private static string Preamble(string schema) => $"""
        SELECT pg_advisory_xact_lock({BootstrapLockKey});
        CREATE SCHEMA IF NOT EXISTS {schema};
        SET LOCAL search_path TO {schema};
        """;

    /// <summary>
    /// The control plane's DDL as riseproject-dev/riscv-runner documents it (docs/configuration.md
    /// quotes it): made only in an empty schema. Its operators apply it by hand, and a schema that
    /// holds it is adopted as it is.
    /// </summary>
    public const string ControlPlaneDdl = """
        CREATE TYPE status_enum      AS ENUM ('pending', 'running', 'completed', 'failed');
        CREATE TYPE provider_enum    AS ENUM ('github', 'gitlab', 'azdo');
        CREATE TYPE entity_type_enum AS ENUM ('Organization', 'User');

        CREATE TABLE jobs (
            job_id            BIGINT PRIMARY KEY,
            job_name          TEXT,
            job_conclusion    TEXT,
            job_created_at    TIMESTAMPTZ,
            job_started_at    TIMESTAMPTZ,
            job_completed_at  TIMESTAMPTZ,
            status            status_enum NOT NULL DEFAULT 'pending',
            failure_info      JSONB,
            provider          provider_enum NOT NULL,
            entity_id         BIGINT NOT NULL,
            entity_name       TEXT NOT NULL,
            entity_type       TEXT NOT NULL,
            repo_full_name    TEXT NOT NULL,
            installation_id   BIGINT NOT NULL,
            job_labels        JSONB NOT NULL DEFAULT '[]',
            k8s_selector      JSONB NOT NULL,
            k8s_image         TEXT NOT NULL,
            k8s_pod           TEXT,
            html_url          TEXT,
            created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE INDEX idx_jobs_active    ON jobs (entity_id, job_labels, created_at) WHERE status != 'completed';
        CREATE INDEX idx_jobs_reconcile ON jobs (installation_id)                   WHERE status != 'completed';
        CREATE INDEX idx_jobs_created   ON jobs (created_at DESC);

        CREATE TABLE workers (
            pod_name        TEXT PRIMARY KEY,
            provider        provider_enum NOT NULL,
            entity_id       BIGINT NOT NULL,
            entity_name     TEXT NOT NULL,
            entity_type     TEXT NOT NULL,
            installation_id BIGINT NOT NULL,
            repo_full_name  TEXT,
            job_labels      JSONB NOT NULL DEFAULT '[]',
            k8s_selector    JSONB NOT NULL,
            k8s_image       TEXT NOT NULL,
            k8s_node        TEXT,
            status          status_enum NOT NULL DEFAULT 'pending',
            failure_info    JSONB,
            created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
            running_at      TIMESTAMPTZ,
            completed_at    TIMESTAMPTZ,
            updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE INDEX idx_workers_active ON workers (entity_id, job_labels, k8s_selector) WHERE status != 'completed';

        CREATE TABLE installation_events (
            id                BIGSERIAL PRIMARY KEY,
            source            TEXT NOT NULL,
            event             TEXT NOT NULL,
            outcome           TEXT NOT NULL,
            installation_id   BIGINT,
            app_id            BIGINT,
            entity_type       entity_type_enum,
            entity_id         BIGINT,
            entity_name       TEXT,
            payload           JSONB NOT NULL,
            received_at       TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE INDEX idx_install_events_installation ON installation_events (installation_id, entity_id);
        CREATE INDEX idx_install_events_entity       ON installation_events (entity_id, received_at DESC);

        """;

    /// <summary>
    /// The app's scheduler tables, made when missing and brought up to date when adopted, in the
    /// one transaction (a failure leaves nothing half-made: PostgreSQL DDL is transactional).
    /// New columns are nullable or defaulted, so nothing the scheduler reads changes meaning.
    /// </summary>
    private const string AppScheduler = """
        DO $$ BEGIN
            CREATE TYPE status_enum AS ENUM ('pending', 'running', 'completed', 'failed');
        EXCEPTION WHEN duplicate_object THEN NULL;
        END $$;
        -- Older databases made by the Python handler have no 'failed'.
        ALTER TYPE status_enum ADD VALUE IF NOT EXISTS 'failed';

        DO $$ BEGIN
            CREATE TYPE provider_enum AS ENUM ('github', 'gitlab', 'azdo');
        EXCEPTION WHEN duplicate_object THEN NULL;
        END $$;

        CREATE TABLE IF NOT EXISTS jobs (
            job_id          BIGINT PRIMARY KEY,
            status          status_enum NOT NULL DEFAULT 'pending',
            failure_info    JSONB,
            provider        provider_enum NOT NULL,
            entity_id       BIGINT NOT NULL,
            entity_name     TEXT NOT NULL,
            entity_type     TEXT NOT NULL,
            repo_full_name  TEXT NOT NULL,
            installation_id BIGINT NOT NULL,
            job_labels      JSONB NOT NULL DEFAULT '[]',
            k8s_pool        TEXT NOT NULL,
            k8s_image       TEXT NOT NULL,
            html_url        TEXT,
            created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        -- Adopted tables: columns later versions added. ghfe leaves k8s_pod NULL (the scheduler's).
        ALTER TABLE jobs ADD COLUMN IF NOT EXISTS provider provider_enum NOT NULL DEFAULT 'github';
        ALTER TABLE jobs ADD COLUMN IF NOT EXISTS failure_info JSONB;
        ALTER TABLE jobs ADD COLUMN IF NOT EXISTS k8s_pod TEXT;
        -- ghfe's own: when in_progress and completed arrived, for /history's queue wait and run time.
        ALTER TABLE jobs ADD COLUMN IF NOT EXISTS started_at TIMESTAMPTZ;
        ALTER TABLE jobs ADD COLUMN IF NOT EXISTS completed_at TIMESTAMPTZ;

        CREATE TABLE IF NOT EXISTS workers (
            pod_name     TEXT PRIMARY KEY,
            provider     provider_enum NOT NULL,
            entity_id    BIGINT NOT NULL,
            entity_name  TEXT NOT NULL,
            job_labels   JSONB NOT NULL DEFAULT '[]',
            k8s_pool     TEXT NOT NULL,
            k8s_image    TEXT NOT NULL,
            k8s_node     TEXT,
            status       status_enum NOT NULL DEFAULT 'pending',
            failure_info JSONB,
            created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        ALTER TABLE workers ADD COLUMN IF NOT EXISTS provider provider_enum NOT NULL DEFAULT 'github';
        ALTER TABLE workers ADD COLUMN IF NOT EXISTS entity_name TEXT;
        ALTER TABLE workers ADD COLUMN IF NOT EXISTS k8s_node TEXT;
        ALTER TABLE workers ADD COLUMN IF NOT EXISTS failure_info JSONB;

        CREATE INDEX IF NOT EXISTS idx_jobs_active ON jobs (entity_id, job_labels, created_at)
            WHERE status != 'completed';
        CREATE INDEX IF NOT EXISTS idx_jobs_reconcile ON jobs (installation_id)
            WHERE status != 'completed';
        CREATE INDEX IF NOT EXISTS idx_jobs_created ON jobs (created_at DESC);
        CREATE INDEX IF NOT EXISTS idx_workers_active ON workers (entity_id, job_labels, k8s_pool)
            WHERE status != 'completed';

        """;

    /// <summary>ghfe's own tables and indexes, in either generation; its <c>job_days.k8s_pool</c> holds the board.</summary>
    private const string GhfeOwn = """
        -- ghfe's own: what became of every delivery, for /deliveries (pruned after the retention).
        CREATE TABLE IF NOT EXISTS deliveries (
            id          BIGSERIAL PRIMARY KEY,
            delivery_id TEXT,
            received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            event       TEXT,
            action      TEXT,
            job_id      BIGINT,
            owner_id    BIGINT,
            owner_login TEXT,
            repository  TEXT,
            labels      JSONB,
            outcome     TEXT NOT NULL,
            status      INT NOT NULL,
            elapsed_ms  REAL NOT NULL,
            source      TEXT
        );
        -- Requests refused before their signature held are one row per minute, source and reason:
        -- how many (1 for every other row) and a few of their delivery ids and user agents.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS requests INT NOT NULL DEFAULT 1;
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS samples JSONB;
        -- The App a delivery came through and the owner type it names: whether the App fits the account.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS app_id BIGINT;
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS owner_type TEXT;
        -- The installation a delivery came through: /trace/installation/{id} in the app generation.
        ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS installation_id BIGINT;
        CREATE INDEX IF NOT EXISTS idx_deliveries_received ON deliveries (received_at DESC);
        -- ghfe's own, for the job page: every delivery of one job.
        CREATE INDEX IF NOT EXISTS idx_deliveries_job ON deliveries (job_id, received_at) WHERE job_id IS NOT NULL;
        -- ghfe's own, for a delivery's page: one delivery by the id GitHub shows.
        CREATE INDEX IF NOT EXISTS idx_deliveries_delivery ON deliveries (delivery_id) WHERE delivery_id IS NOT NULL;
        -- ghfe's own, for /trace in the app generation: an entity's deliveries, oldest first.
        CREATE INDEX IF NOT EXISTS idx_deliveries_owner ON deliveries (owner_id, received_at) WHERE owner_id IS NOT NULL;
        -- ghfe's own, for /usage: only the live jobs, however many failed ones pile up.
        CREATE INDEX IF NOT EXISTS idx_jobs_live ON jobs (created_at)
            WHERE status IN ('pending', 'running');
        -- ghfe's own, for /history over long windows: jobs per UTC day, entity, pool and status,
        -- with queue wait and run time histograms (sparse: bucket numbers and their counts).
        -- Rebuilt from jobs by HistoryRoller; job_days_rolled says which days it holds.
        CREATE TABLE IF NOT EXISTS job_days (
            day                DATE NOT NULL,
            entity_id          BIGINT NOT NULL,
            entity_name        TEXT NOT NULL,
            k8s_pool           TEXT NOT NULL,
            status             status_enum NOT NULL,
            jobs               INT NOT NULL,
            queue_wait_buckets INT[] NOT NULL,
            queue_wait_counts  INT[] NOT NULL,
            run_time_buckets   INT[] NOT NULL,
            run_time_counts    INT[] NOT NULL,
            PRIMARY KEY (day, entity_id, k8s_pool, status)
        );
        CREATE TABLE IF NOT EXISTS job_days_rolled (
            day       DATE PRIMARY KEY,
            signature TEXT NOT NULL,
            rolled_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        -- ghfe's own, for /history?repo=… (the rollups keep no repositories).
        CREATE INDEX IF NOT EXISTS idx_jobs_repo ON jobs (lower(repo_full_name), created_at);
        """;
}
