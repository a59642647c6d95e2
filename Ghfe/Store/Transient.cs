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
            || IsFailover(postgres),
        NpgsqlException npgsql => npgsql.IsTransient || IsFailover(npgsql),
        TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// How a failover shows itself: the server shutting down (57P01…57P03) or unreachable (08…,
    /// refused, reset); a demoted server that only reads (25006); a multi-host URL that finds no
    /// host fit for its target_session_attrs ("No suitable host", or every host's own failure at
    /// once). These are the errors after which what the pool knows of the hosts is stale.
    /// </summary>
    public static bool IsFailover(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is ReadOnlySession
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException { InnerException: AggregateException each } => each.InnerExceptions.Count > 0 && each.InnerExceptions.All(Is),
        NpgsqlException npgsql => npgsql.Message.StartsWith(NoSuitableHost, StringComparison.Ordinal)
            || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => false,
    };

    /// <summary>SQLSTATE read_only_sql_transaction: the session's server is (now) a standby, or fenced.</summary>
    public const string ReadOnlySession = "25006";

    /// <summary>What Npgsql's multi-host data source says when every host is offline or of the wrong kind.</summary>
    public const string NoSuitableHost = "No suitable host was found";
}
