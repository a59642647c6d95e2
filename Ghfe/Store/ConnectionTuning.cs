using Npgsql;

namespace Ghfe.Store;

/// <summary>How ghfe talks to PostgreSQL, on top of what POSTGRES_URL says.</summary>
public static class ConnectionTuning
{
    public static NpgsqlConnectionStringBuilder Apply(NpgsqlConnectionStringBuilder connection, string schema)
    {
        connection.SearchPath = schema;
        connection.ApplicationName ??= "ghfe";
        // ghfe's statements are short; JIT compiling them costs more than it saves.
        connection.Options = $"{connection.Options} -c jit=off".Trim();
        // ghfe sends a handful of statements over and over: prepared, PostgreSQL plans each once per connection.
        // (The pages' filtered reads opt out of the shared plan: see PageQueries.ReadAsync.)
        connection.MaxAutoPrepare = Math.Max(connection.MaxAutoPrepare, 32);
        // A pooled connection is not reset, which would be seven statements per batch to parse, and
        // would undo the one session setting ghfe makes on purpose (DataSource's compression); its
        // other SETs and its locks are transaction-scoped, so nothing else carries over.
        connection.NoResetOnClose = true;
        // Several hosts: each one's role (primary, standby, offline) is known for this long. After
        // a failover the deliveries' pool forgets it at once (HostKnowledge); the pages and the
        // background readers find the new primary within a second too.
        if (connection.Host?.Contains(',', StringComparison.Ordinal) == true)
        {
            connection.HostRecheckSeconds = Math.Min(connection.HostRecheckSeconds, 1);
        }

        return connection;
    }

    /// <summary>The data source of a tuned connection: each new physical connection first chooses how its rows compress.</summary>
    public static NpgsqlDataSource DataSource(NpgsqlConnectionStringBuilder connection)
    {
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString);
        builder.UsePhysicalConnectionInitializer(
            physical =>
            {
                using var command = FastToastCommand(physical);
                command.ExecuteNonQuery();
            },
            async physical =>
            {
                await using var command = FastToastCommand(physical);
                await command.ExecuteNonQueryAsync();
            });
        return builder.Build();
    }

    /// <summary>
    /// A value PostgreSQL compresses (an installation_events payload is about 2 KB of JSONB) is
    /// compressed with lz4 where the server has it: a fraction of the CPU of its default, pglz,
    /// on the group commit's path. Readers see no difference (PostgreSQL 14 and later read
    /// either). A server that refuses it, whatever the reason (no lz4, older than 14), keeps its
    /// default, and the connection opens as it would have: a speed-up never costs a delivery.
    /// </summary>
    private static NpgsqlCommand FastToastCommand(NpgsqlConnection physical) => new(
        """
        DO $$ BEGIN SET default_toast_compression = lz4; EXCEPTION WHEN OTHERS THEN NULL; END $$
        """,
        physical);
}
