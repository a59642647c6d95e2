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

    /// <summary>On the deliveries' connection string (schema, tuning), a copy with a small pool and a statement timeout.</summary>
    public static PagesDataSource For(NpgsqlConnectionStringBuilder connection)
    {
        var pages = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            MaxPoolSize = MaxConnections,
            MinPoolSize = 0,
            Options = $"{connection.Options} -c statement_timeout={(int)StatementTimeout.TotalMilliseconds}".Trim(),
        };
        return new PagesDataSource(NpgsqlDataSource.Create(pages));
    }

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
