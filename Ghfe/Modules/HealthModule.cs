using Carter;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Modules;

/// <summary>Liveness (cheap, no I/O) and readiness (can deliveries be stored now?).</summary>
public sealed class HealthModule : ICarterModule
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapGet("/health/ready", Ready);
    }

    /// <summary>
    /// Ready while deliveries can be taken durably: the database answers, or the journal takes
    /// writes. A database outage alone must not pull every replica out of the Service.
    /// </summary>
    private static async Task<IResult> Ready(NpgsqlDataSource dataSource, Journal journal, DatabaseState state, CancellationToken cancellationToken)
    {
        string database;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            await using var probe = dataSource.CreateCommand("SELECT 1");
            await probe.ExecuteScalarAsync(deadline.Token);
            database = state.SchemaReady ? "up" : "up (schema not made yet)";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            database = $"down ({e.GetType().Name})";
        }

        var writable = journal.IsWritable();
        var ready = database == "up" || writable;
        var body = $"{(ready ? "ready" : "not ready")}\ndatabase: {database}\njournal: {journal.Backlog} waiting, {(writable ? "writable" : "NOT writable")} ({journal.Directory})\n";
        return Results.Text(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
