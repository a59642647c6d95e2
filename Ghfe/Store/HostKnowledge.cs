using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// What the pool knows of the database's hosts, dropped when a failover shows itself, so the next
/// attempt finds the promoted standby instead of waiting out Npgsql's Host Recheck Seconds.
/// </summary>
/// <remarks>
/// A multi-host data source keeps each host's last known role (primary, standby, offline) for
/// Host Recheck Seconds, 10 by default: after a promotion it would skip the new primary as a
/// standby for that long. A single endpoint that moved keeps pooled sessions on the demoted
/// server, which answer 25006: those are closed so new ones follow the endpoint.
/// </remarks>
public sealed class HostKnowledge(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Every waiting delivery meets the same failure: one reset per interval is enough, each costs a round trip per host.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private long _lastReset = long.MinValue;

    /// <summary>Does nothing unless <paramref name="failure"/> is how a failover shows itself (<see cref="Transient.IsFailover"/>).</summary>
    public void Forget(Exception failure)
    {
        if (!Transient.IsFailover(failure))
        {
            return;
        }

        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastReset);
        if ((last != long.MinValue && clock.GetElapsedTime(last, now) < Interval) || Interlocked.CompareExchange(ref _lastReset, now, last) != last)
        {
            return;
        }

        if (dataSource is NpgsqlMultiHostDataSource hosts)
        {
            hosts.ClearDatabaseStates();
        }

        // Idle sessions on a stopped server are dead, and on a demoted one read-only: new ones
        // go where the URL (or the moved endpoint) now leads.
        dataSource.Clear();
    }
}
