using Carter;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Modules;

/// <summary>Liveness (cheap, no I/O) and readiness (can deliveries be stored now?).</summary>
public sealed class HealthModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapGet("/health/ready", Ready);
    }

    /// <summary>
    /// Ready while deliveries can be taken durably: a primary takes writes, or the journal does.
    /// A database outage (a failover among them) alone must not pull every replica out of the Service.
    /// </summary>
    private static async Task<IResult> Ready(NpgsqlDataSource dataSource, Journal journal, DatabaseState state, HostKnowledge hosts, CancellationToken cancellationToken)
    {
        var database = await Readiness.ProbeAsync(dataSource, state, hosts, cancellationToken);
        var writable = journal.IsWritable();
        var ready = database.Up || writable;
        var body = $"{(ready ? "ready" : "not ready")}\ndatabase: {database.Database}\n"
            + (database.Commits is { } commits ? $"commits: {commits.Describe()}\n" : string.Empty)
            + (database.Up ? string.Empty : $"deliveries: {(writable ? "journalled (202) until a primary takes writes, then replayed into it" : "refused (503): no primary and no journal")}\n")
            + $"journal: {journal.Backlog} waiting, {(writable ? "writable" : "NOT writable")} ({journal.Directory})\n";
        return Results.Text(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
