using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// What the database says to a probe: whether it takes deliveries now (<paramref name="Up"/>), the
/// line /health/ready shows, and — when a primary answered — whether its commits wait for a standby.
/// </summary>
public sealed record Readiness(bool Up, string Database, CommitWait? Commits = null)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Which server answered and whether it can write: a standby (or a demoted primary) cannot.</summary>
    private const string ProbeSql = $"SELECT NOT pg_is_in_recovery() AND NOT current_setting('transaction_read_only')::bool, host(inet_server_addr()), inet_server_port(), {CommitWait.Columns}";

    /// <summary>
    /// One probe within <see cref="ProbeTimeout"/> on a session like the deliveries' own (same
    /// pool, same target_session_attrs): up only when it can write and the schema is made too —
    /// until then every command spools. Down says why, in one line. A failure that looks like a
    /// failover makes the pool forget its hosts, as a delivery's would.
    /// </summary>
    public static async Task<Readiness> ProbeAsync(NpgsqlDataSource dataSource, DatabaseState state, HostKnowledge hosts, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            await using var probe = dataSource.CreateCommand(ProbeSql);
            await using var reader = await probe.ExecuteReaderAsync(deadline.Token);
            await reader.ReadAsync(deadline.Token);
            var writable = reader.GetBoolean(0);
            var server = reader.IsDBNull(1) ? "a local socket" : $"{reader.GetString(1)}:{reader.GetInt32(2)}";
            var commits = new CommitWait(reader.GetString(3), reader.GetString(4));
            return (writable, state.SchemaReady) switch
            {
                (false, _) => new Readiness(false, $"down (the server at {server} is read-only: a standby, or a demoted primary; no primary to write to)"),
                (true, false) => new Readiness(false, $"up (schema not made yet), primary {server}", commits),
                (true, true) => new Readiness(true, $"up, primary {server}", commits),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Readiness(false, $"down (no answer within {ProbeTimeout.TotalSeconds:0} s)");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            hosts.Forget(e);
            return new Readiness(false, $"down ({DatabaseProblem.Describe(e)})");
        }
    }
}
