using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// The pages' own small pool, apart from the deliveries' (<see cref="NpgsqlDataSource"/>): a page
/// that reads slowly, or a crowd of them, holds at most <see cref="MaxConnections"/> connections,
/// each statement for at most <see cref="StatementTimeout"/>, and never one a delivery waits for.
/// </summary>
public sealed class PagesDataSource : IAsyncDisposable
{
    public const int MaxConnections = 4;

    public static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(5);

    private PagesDataSource(NpgsqlDataSource source) => Source = source;

    public NpgsqlDataSource Source { get; }

    /// <summary>
    /// On the deliveries' connection string (schema, tuning), a copy with a small pool, a
    /// statement timeout, and client-side bounds for a server that cannot even cancel: a page
    /// holds its turn for seconds, never for Npgsql's default 15 s connect and 30 s command.
    /// </summary>
    public static PagesDataSource For(NpgsqlConnectionStringBuilder connection)
    {
        var pages = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            MaxPoolSize = MaxConnections,
            MinPoolSize = 0,
            Options = $"{connection.Options} -c statement_timeout={(int)StatementTimeout.TotalMilliseconds}".Trim(),
            Timeout = AtMost(connection.Timeout, 5),
            CommandTimeout = AtMost(connection.CommandTimeout, (int)StatementTimeout.TotalSeconds * 2),
        };
        return new PagesDataSource(NpgsqlDataSource.Create(pages));
    }

    public ValueTask DisposeAsync() => Source.DisposeAsync();

    /// <summary>Npgsql's seconds, where 0 means no limit.</summary>
    private static int AtMost(int seconds, int limit) => seconds > 0 ? Math.Min(seconds, limit) : limit;
}
