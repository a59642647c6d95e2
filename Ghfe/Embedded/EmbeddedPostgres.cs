using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ghfe.Embedded;

/// <summary>
/// A private PostgreSQL cluster started from the machine's binaries: the dev default when
/// POSTGRES_URL is unset, and the test suite's throwaway databases. Listens on a free
/// loopback port only (no Unix socket), trusts local connections, and runs as the
/// <c>postgres</c> user when started by root (PostgreSQL refuses to run as root). Several
/// processes may share one data directory: see <see cref="StartAsync"/>.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string Database = "ghfe";

    private const string Superuser = "postgres";

    private readonly string _binaries;
    private readonly string _dataDirectory;
    private readonly bool _deleteOnStop;
    private readonly int? _sharedAtStart;
    private Clients.Membership? _client;
    private int _stopped;

    /// <param name="sharedAtStart">Null when this start started the cluster; else how many other live ghfes used it.</param>
    private EmbeddedPostgres(string binaries, string dataDirectory, int port, bool deleteOnStop, int? sharedAtStart)
    {
        _binaries = binaries;
        _dataDirectory = dataDirectory;
        Port = port;
        _deleteOnStop = deleteOnStop;
        _sharedAtStart = sharedAtStart;
    }

    public int Port { get; }

    public string DataDirectory => _dataDirectory;

    /// <summary>Keyword form, with no password (the cluster trusts loopback connections).</summary>
    public string ConnectionString => ConnectionStringFor(Database);

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database}";

    /// <summary>Where the cluster runs and how many ghfes share it, for the log.</summary>
    public string Describe() => _sharedAtStart switch
    {
        null => $"started in {_dataDirectory} on port {Port}",
        0 => $"adopted in {_dataDirectory} on port {Port} (its ghfe is gone; it was left running)",
        var others => $"joined in {_dataDirectory} on port {Port} (shared with {others} other ghfe{(others == 1 ? string.Empty : "s")})",
    };

    /// <summary>Where <see cref="StopAsync"/> says what it did; set once ghfe has its logging.</summary>
    public ILogger Log { get; set; } = NullLogger.Instance;

    /// <summary>
    /// Starts the cluster in <paramref name="dataDirectory"/>, or joins it when it already runs
    /// there: a cluster is never stopped under another ghfe. Each user of the cluster holds a
    /// lock on a file of its own beside the data directory while it lives (the kernel releases it
    /// if the process dies); the last one to stop stops the cluster. Starts, joins and stops are
    /// serialised by a second lock file. A start that fails leaves no cluster behind that it started.
    /// </summary>
    /// <param name="dataDirectory">Reused when it already holds a cluster.</param>
    /// <param name="durable">False turns fsync off: fine for tests, never for data you keep.</param>
    /// <param name="deleteOnStop">Remove the data directory when the cluster stops.</param>
    /// <param name="port">A fixed port (to restart a cluster where its clients expect it); null picks a free one.</param>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, bool durable, bool deleteOnStop, CancellationToken cancellationToken, int? port = null)
    {
        var binaries = FindBinaries()
            ?? throw new EmbeddedPostgresException(
                "no PostgreSQL server binaries found (initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin); install the postgresql package or set POSTGRES_URL");

        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(dataDirectory)!);
        await using var serialised = await ExclusiveFile.AcquireAsync(dataDirectory + ".lock", TimeSpan.FromSeconds(120), cancellationToken);

        var others = Clients.Live(dataDirectory);
        var running = await RunningPortAsync(binaries, dataDirectory, cancellationToken);
        var cluster = running is { } joined
            ? new EmbeddedPostgres(binaries, dataDirectory, joined, deleteOnStop, sharedAtStart: others)
            : new EmbeddedPostgres(binaries, dataDirectory, await StartClusterAsync(binaries, dataDirectory, durable, port, cancellationToken), deleteOnStop, sharedAtStart: null);
        try
        {
            await cluster.CreateDatabaseAsync(cancellationToken);
            cluster._client = Clients.Register(dataDirectory);
            return cluster;
        }
        catch
        {
            // Ours alone (started here, or adopted with nobody else on it): leave nothing running.
            if (others == 0)
            {
                await cluster.StopClusterAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Leaves the cluster: stops it when no other live ghfe uses it, else leaves it running for them.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await using var serialised = await ExclusiveFile.AcquireAsync(_dataDirectory + ".lock", TimeSpan.FromSeconds(120), CancellationToken.None);
        _client?.Leave();
        var others = Clients.Live(_dataDirectory);
        if (others > 0)
        {
            Log.LogInformation("embedded PostgreSQL left running on port {Port} for {Others} other ghfe(s)", Port, others);
            return;
        }

        await StopClusterAsync();
        Log.LogInformation("embedded PostgreSQL stopped (port {Port}; data {Kept} {DataDirectory})", Port, _deleteOnStop ? "deleted from" : "kept in", _dataDirectory);
    }

    private async Task StopClusterAsync()
    {
        await TryRun(_binaries, "pg_ctl", ["stop", "-D", _dataDirectory, "-m", "fast", "-w"], CancellationToken.None);
        if (_deleteOnStop)
        {
            Delete(_dataDirectory);
        }
    }

    /// <summary>Removes a stopped cluster's data directory and the lock and client files beside it.</summary>
    public static void Delete(string dataDirectory)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        foreach (var directory in new[] { dataDirectory, Clients.DirectoryOf(dataDirectory) }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        File.Delete(dataDirectory + ".lock");
    }

    private static async Task<int> StartClusterAsync(string binaries, string dataDirectory, bool durable, int? port, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        await HandOverToServerUser(dataDirectory, cancellationToken);
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await Run(binaries, "initdb", ["-D", dataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-instructions"], cancellationToken);
        }

        Exception? lastFailure = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var listen = port ?? FreeLoopbackPort();
            var options = $"-c listen_addresses=127.0.0.1 -p {listen} -c unix_socket_directories='' -c max_connections=200"
                + (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            try
            {
                await Run(binaries, "pg_ctl", ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(dataDirectory, "server.log"), "-o", options], cancellationToken);
                return listen;
            }
            catch (Exception e) when (e is EmbeddedPostgresException or OperationCanceledException)
            {
                // pg_ctl may have given up (or been cancelled) while the server still came up: never leave it behind.
                await TryRun(binaries, "pg_ctl", ["stop", "-D", dataDirectory, "-m", "immediate", "-w"], CancellationToken.None);
                if (e is OperationCanceledException)
                {
                    throw;
                }

                lastFailure = e; // most likely the port was taken in between: try another
            }
        }

        throw new EmbeddedPostgresException($"PostgreSQL did not start in {dataDirectory} (see server.log there): {lastFailure?.Message}");
    }

    /// <summary>The port of the cluster running in the directory (from its postmaster.pid), or null when none runs.</summary>
    private static async Task<int?> RunningPortAsync(string binaries, string dataDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return null;
        }

        try
        {
            await Run(binaries, "pg_ctl", ["status", "-D", dataDirectory], cancellationToken);
        }
        catch (EmbeddedPostgresException)
        {
            return null; // a stale postmaster.pid: pg_ctl start replaces it
        }

        // Lines of postmaster.pid: pid, data directory, start time, port, socket directory, address, key, status.
        var lines = await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid"), cancellationToken);
        return lines.Length > 3 && int.TryParse(lines[3], System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new EmbeddedPostgresException($"PostgreSQL runs in {dataDirectory} but its postmaster.pid names no port");
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        // Unpooled: after a restart on the same port, a pooled connection would be a dead one.
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Database });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(dir), out var major) ? major : 0)
                .Select(dir => Path.Combine(dir, "bin"))
            : [];
        return onPath.Concat(installed).FirstOrDefault(dir =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task HandOverToServerUser(string dataDirectory, CancellationToken cancellationToken)
    {
        if (IsRoot)
        {
            await Exec("chown", ["-R", $"{Superuser}:", dataDirectory], cancellationToken);
            try
            {
                await Exec("runuser", ["-u", Superuser, "--", "test", "-w", dataDirectory], cancellationToken);
            }
            catch (EmbeddedPostgresException)
            {
                throw new EmbeddedPostgresException(
                    $"the {Superuser} user cannot reach {dataDirectory}: a folder above it is private to root (chmod o+x it, or run from another folder)");
            }
        }

        // initdb insists on a private data directory.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static Task Run(string binaries, string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binaries, tool);
        return IsRoot
            ? Exec("runuser", ["-u", Superuser, "--", path, .. arguments], cancellationToken)
            : Exec(path, arguments, cancellationToken);
    }

    private static async Task TryRun(string binaries, string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            await Run(binaries, tool, arguments, cancellationToken);
        }
        catch (EmbeddedPostgresException)
        {
            // Nothing was running, or it is already gone: both leave the cluster stopped.
        }
    }

    private static async Task Exec(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var said = ((await errors).Trim() + " " + (await output).Trim()).Trim();
            throw new EmbeddedPostgresException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments.Take(2))} exited {process.ExitCode}: {said}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class EmbeddedPostgresException(string message) : Exception(message);
