using Prometheus;

namespace Ghfe.Observability;

/// <summary>What /metrics exports of ghfe's own work (Prometheus text, all names prefixed ghfe_).</summary>
public static class GhfeMetrics
{
    public static readonly Counter Deliveries = Metrics.CreateCounter(
        "ghfe_deliveries_total", "Webhook deliveries answered, by event, action, outcome and whether the GitHub App they came through fits the account.",
        new CounterConfiguration { LabelNames = ["event", "action", "outcome", "github_app"] });

    public static readonly Counter SignatureFailures = Metrics.CreateCounter(
        "ghfe_signature_failures_total", "Deliveries refused for a signature that matches no configured secret.");

    public static readonly Counter BodiesCut = Metrics.CreateCounter(
        "ghfe_waiting_bodies_cut_total", "Incomplete bodies of at most 64 KiB cut (connection aborted) to keep ghfe_waiting_body_bytes within its cap: the one waiting longest goes.");

    public static readonly Counter Duplicates = Metrics.CreateCounter(
        "ghfe_duplicates_total", "queued deliveries for a job already stored (redeliveries and concurrent copies).");

    public static readonly Counter OutOfOrder = Metrics.CreateCounter(
        "ghfe_out_of_order_total", "in_progress or completed deliveries for a job never seen, recorded in that state.");

    public static readonly Counter JobsStored = Metrics.CreateCounter(
        "ghfe_jobs_stored_total", "Queued deliveries stored as a new job (each reaches the scheduler in a NOTIFY, which may list several).");

    public static readonly Counter Forwards = Metrics.CreateCounter(
        "ghfe_proxy_forwards_total", "Deliveries forwarded to staging, by outcome.",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Histogram PipelineSeconds = Metrics.CreateHistogram(
        "ghfe_pipeline_duration_seconds", "Time of the pure pipeline (signature to route) per delivery.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_005, 2, 16) });

    public static readonly Histogram AnswerSeconds = Metrics.CreateHistogram(
        "ghfe_answer_duration_seconds", "Time from a delivery's arrival to its answer, everything included (what GitHub waits for).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_25, 2, 16) });

    public static readonly Histogram DatabaseSeconds = Metrics.CreateHistogram(
        "ghfe_database_duration_seconds", "Time of executing a job command against PostgreSQL.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_25, 2, 16) });

    public static readonly Gauge JournalBacklog = Metrics.CreateGauge(
        "ghfe_journal_backlog", "Commands accepted into the local journal (202) and not yet applied to PostgreSQL.");

    public static readonly Counter Spooled = Metrics.CreateCounter(
        "ghfe_spooled_total", "Commands the database could not take before the deadline, written to the journal instead.");

    public static readonly Counter RoutingReloads = Metrics.CreateCounter(
        "ghfe_routing_reloads_total", "Routing file changes seen, by result (applied or refused).",
        new CounterConfiguration { LabelNames = ["result"] });

    public static readonly Gauge Jobs = Metrics.CreateGauge(
        "ghfe_jobs", "Jobs in the queue (the jobs table), by pool and status (pending, running); pools the routing file does not name read as other.",
        new GaugeConfiguration { LabelNames = ["pool", "status"] });

    public static readonly Gauge OldestPendingAge = Metrics.CreateGauge(
        "ghfe_oldest_pending_job_age_seconds", "How long the oldest pending job of each pool has waited (0 when none is pending).",
        new GaugeConfiguration { LabelNames = ["pool"] });

    public static readonly Gauge Workers = Metrics.CreateGauge(
        "ghfe_workers", "The scheduler's workers (the workers table), by pool and status (pending, running).",
        new GaugeConfiguration { LabelNames = ["pool", "status"] });

    public static readonly Gauge QueueRefreshAge = Metrics.CreateGauge(
        "ghfe_queue_refresh_age_seconds", "Seconds since the queue gauges were last read from PostgreSQL (grows while it does not answer).");
}
