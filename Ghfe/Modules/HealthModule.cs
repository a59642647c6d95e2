using Carter;
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

    private static async Task<IResult> Ready(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            await using var probe = dataSource.CreateCommand("SELECT 1");
            await probe.ExecuteScalarAsync(deadline.Token);
            return Results.Text("ready\ndatabase: up\n");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Results.Text($"not ready\ndatabase: down ({e.GetType().Name})\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
