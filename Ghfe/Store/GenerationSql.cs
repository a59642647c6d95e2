using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>
/// Where the reads meet the two schema generations, and the only place: a read names
/// <see cref="Jobs"/> and <see cref="Workers"/> where it would name the tables, and finds the
/// app's columns in both. In the control-plane generation <c>k8s_pool</c> is the selector's board,
/// and <c>started_at</c>/<c>completed_at</c> are GitHub's times. PostgreSQL pulls the subqueries up
/// into the query, so the tables' indexes and partial-index predicates serve as they do in the app's.
/// </summary>
/// <param name="Conclusion">GitHub's conclusion of a completed job, which only the control plane keeps.</param>
public sealed record GenerationSql(SchemaGeneration Generation, string Jobs, string Workers, string Conclusion)
{
    public static readonly GenerationSql App = new(SchemaGeneration.App, "jobs", "workers", "NULL::text");

    public static readonly GenerationSql ControlPlane = new(
        SchemaGeneration.ControlPlane,
        $"(SELECT *, {Board} AS k8s_pool, job_started_at AS started_at, job_completed_at AS completed_at FROM jobs) AS jobs",
        $"(SELECT *, {Board} AS k8s_pool FROM workers) AS workers",
        "job_conclusion");

    /// <summary>The selector key the control plane's scheduler places a job by; ghfe's pool.</summary>
    public const string BoardKey = "riseproject.dev/board";

    /// <summary>The selector key naming the route's provider, when it names one.</summary>
    public const string ProviderKey = "riseproject.dev/provider";

    private const string Board = $"k8s_selector->>'{BoardKey}'";

    public static GenerationSql Of(SchemaGeneration generation) => generation == SchemaGeneration.ControlPlane ? ControlPlane : App;
}

/// <summary>A statement written once over <see cref="GenerationSql"/>, made for both generations up front.</summary>
public sealed class PerGeneration<T>(Func<GenerationSql, T> make)
{
    private readonly T _app = make(GenerationSql.App);
    private readonly T _controlPlane = make(GenerationSql.ControlPlane);

    public T this[SchemaGeneration generation] => generation == SchemaGeneration.ControlPlane ? _controlPlane : _app;
}
