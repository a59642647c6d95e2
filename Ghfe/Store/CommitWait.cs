using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Whether a commit waits for a standby, as the primary reports it (<c>synchronous_commit</c>,
/// <c>synchronous_standby_names</c>): what an acknowledgement is worth if the primary crashes.
/// </summary>
public sealed record CommitWait(string SynchronousCommit, string StandbyNames)
{
    /// <summary>The columns a probe selects to build one, in this order.</summary>
    public const string Columns = "current_setting('synchronous_commit'), current_setting('synchronous_standby_names')";

    /// <summary>Commits wait for a standby's flush when standbys are named and the level is on, remote_write or remote_apply.</summary>
    public bool WaitsForStandby =>
        StandbyNames.Trim().Length > 0 && SynchronousCommit is "on" or "remote_write" or "remote_apply";

    /// <summary>As the server the data source leads to reports it.</summary>
    public static async Task<CommitWait> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var read = dataSource.CreateCommand($"SELECT {Columns}");
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CommitWait(reader.GetString(0), reader.GetString(1));
    }

    /// <summary>One line for the start-up log and /health/ready.</summary>
    public string Describe() => WaitsForStandby
        ? $"wait for a synchronous standby (synchronous_commit={SynchronousCommit}, synchronous_standby_names='{StandbyNames}'): an acknowledged job survives a crash of the primary"
        : $"do not wait for a standby (synchronous_commit={SynchronousCommit}, synchronous_standby_names='{StandbyNames}'): a crash of the primary can lose what it had not yet sent (see docs/failover.md)";
}
