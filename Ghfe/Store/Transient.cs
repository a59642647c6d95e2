using Npgsql;

namespace Ghfe.Store;

/// <summary>Which database failures are worth waiting out (and spooling past), and which are loud.</summary>
public static class Transient
{
    /// <summary>
    /// Connection refused or reset, admin shutdown, failover, "cannot connect now", serialization
    /// failure, deadlock, too many connections, pool or command timeouts. Not: bad credentials,
    /// missing permissions or objects, bad SQL — retrying those only hides them.
    /// </summary>
    public static bool Is(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is "40001" or "40P01" or "53300" or "55P03"
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        TimeoutException => true,
        _ => false,
    };
}
