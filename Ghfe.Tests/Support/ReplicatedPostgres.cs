using Ghfe.Embedded;
using Npgsql;

namespace Ghfe.Tests.Support;

/// <summary>
/// A primary and a streaming standby made from it with <c>pg_basebackup -R</c>, each a cluster of
/// the machine's PostgreSQL binaries started by <see cref="EmbeddedPostgres"/> (as the postgres
/// user when the tests run as root): the stage for a failover.
/// </summary>
public sealed class ReplicatedPostgres : IAsyncDisposable
{
    private readonly string _directory;

    private ReplicatedPostgres(string directory, EmbeddedPostgres primary, EmbeddedPostgres standby)
    {
        _directory = directory;
        Primary = primary;
        Standby = standby;
    }

    public EmbeddedPostgres Primary { get; }

    public EmbeddedPostgres Standby { get; }

    private string StandbyDirectory => Standby.DataDirectory;

    /// <param name="synchronous">Commits on the primary wait for the standby's flush (synchronous_standby_names = '*').</param>
    public static async Task<ReplicatedPostgres> StartAsync(bool synchronous)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-failover-{Guid.NewGuid():N}");
        var primary = await EmbeddedPostgres.StartAsync(Path.Combine(directory, "primary"), durable: true, deleteOnStop: false, CancellationToken.None);
        var standbyDirectory = Path.Combine(directory, "standby");
        Directory.CreateDirectory(standbyDirectory);
        await RunAsync("chmod", ["700", standbyDirectory]);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["postgres:", standbyDirectory]);
        }
        await RunToolAsync("pg_basebackup", ["-h", "127.0.0.1", "-p", $"{primary.Port}", "-U", "postgres", "-D", standbyDirectory, "-R", "-X", "stream", "-c", "fast"]);
        var standby = await EmbeddedPostgres.StartAsync(standbyDirectory, durable: true, deleteOnStop: false, CancellationToken.None);
        var cluster = new ReplicatedPostgres(directory, primary, standby);

        // Set after the base backup: the standby, once promoted, has no standby of its own to wait for.
        if (synchronous)
        {
            await Rows.ExecuteAsync(primary.ConnectionStringFor("postgres"), "ALTER SYSTEM SET synchronous_standby_names = '*'");
            await Rows.ExecuteAsync(primary.ConnectionStringFor("postgres"), "SELECT pg_reload_conf()");
        }

        await cluster.WaitStreamingAsync(synchronous ? "sync" : "async");
        return cluster;
    }

    /// <summary>pg_ctl stop -m fast: sessions end with 57P01, the standby receives everything first.</summary>
    public Task StopPrimaryAsync() => Primary.StopAsync();

    /// <summary>SIGKILL to the postmaster and every process it started: a crash, nothing flushed or sent after it.</summary>
    public async Task CrashPrimaryAsync()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(Primary.DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var children = Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(pid => ParentOf(pid!) == postmaster)
            .ToArray();
        await RunAsync("kill", ["-KILL", $"{postmaster}", .. children!]);
    }

    /// <summary>
    /// The primary still runs and answers, but every new transaction is read-only (25006 on a
    /// write), as on a demoted or fenced primary that an endpoint no longer leads to.
    /// </summary>
    public async Task FencePrimaryAsync()
    {
        await Rows.ExecuteAsync(Primary.ConnectionStringFor("postgres") + ";Pooling=false", "ALTER SYSTEM SET default_transaction_read_only = on");
        await Rows.ExecuteAsync(Primary.ConnectionStringFor("postgres") + ";Pooling=false", "SELECT pg_reload_conf()");
    }

    /// <summary>Until the standby has replayed all the (running) primary wrote.</summary>
    public async Task WaitCaughtUpAsync()
    {
        await using var primary = new NpgsqlConnection(Primary.ConnectionStringFor("postgres") + ";Pooling=false");
        await primary.OpenAsync();
        await using var written = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary);
        var lsn = (string)(await written.ExecuteScalarAsync())!;
        await using var standby = new NpgsqlConnection(Standby.ConnectionStringFor("postgres") + ";Pooling=false");
        await standby.OpenAsync();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", standby);
            replayed.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lsn });
            if ((bool)(await replayed.ExecuteScalarAsync())!)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the standby had not replayed up to {lsn} within 10 s");
    }

    /// <summary>pg_ctl promote, waiting until the standby takes writes.</summary>
    public Task PromoteStandbyAsync() => RunToolAsync("pg_ctl", ["promote", "-D", StandbyDirectory, "-w", "-t", "30"]);

    public async ValueTask DisposeAsync()
    {
        await Primary.StopAsync();
        await Standby.StopAsync();
        EmbeddedPostgres.Delete(Primary.DataDirectory);
        EmbeddedPostgres.Delete(StandbyDirectory);
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitStreamingAsync(string syncState)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var connection = new NpgsqlConnection(Primary.ConnectionStringFor("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = $1", connection);
            query.Parameters.Add(new NpgsqlParameter<string> { TypedValue = syncState });
            if ((long)(await query.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the standby was not streaming ({syncState}) within 10 s");
    }

    private static int ParentOf(string pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static Task RunToolAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(Binaries(), tool);
        return Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var (exitCode, lines) = await Processes.RunAsync(program, "/", arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {exitCode}: {string.Join('\n', lines)}");
        }
    }

    private static string Binaries() =>
        Directory.GetDirectories("/usr/lib/postgresql")
            .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var major) ? major : 0)
            .Select(dir => Path.Combine(dir, "bin"))
            .First(dir => File.Exists(Path.Combine(dir, "pg_basebackup")));
}
