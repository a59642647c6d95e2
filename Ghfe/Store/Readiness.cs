using Npgsql;

namespace Ghfe.Store;

/// <summary>What the database says to a probe: whether it takes deliveries now (<paramref name="Up"/>), and the line /health/ready shows.</summary>
public sealed record Readiness(bool Up, string Database)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// One "SELECT 1" within <see cref="ProbeTimeout"/>. Up only once the schema is made too:
    /// until then every command spools. Down says why, in one line.
    /// </summary>
    public static async Task<Readiness> ProbeAsync(NpgsqlDataSource dataSource, DatabaseState state, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            await using var probe = dataSource.CreateCommand("SELECT 1");
            await probe.ExecuteScalarAsync(deadline.Token);
            return state.SchemaReady ? new Readiness(true, "up") : new Readiness(false, "up (schema not made yet)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Readiness(false, $"down (no answer within {ProbeTimeout.TotalSeconds:0} s)");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return new Readiness(false, $"down ({DatabaseProblem.Describe(e)})");
        }
    }
}
