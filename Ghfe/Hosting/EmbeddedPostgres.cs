using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ghfe.Hosting;

/// <summary>
/// A private PostgreSQL cluster started from the machine's binaries: the dev default when
/// POSTGRES_URL is unset, and the test suite's throwaway databases. Listens on a free
/// loopback port only (no Unix socket), trusts local connections, and runs as the
/// <c>postgres</c> user when started by root (PostgreSQL refuses to run as root).
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string Database = "ghfe";

    private const string Superuser = "postgres";

    private readonly string _binaries;
    private readonly string _dataDirectory;
    private readonly bool _deleteOnStop;
    private int _stopped;

    private EmbeddedPostgres(string binaries, string dataDirectory, int port, bool deleteOnStop)
    {
        _binaries = binaries;
        _dataDirectory = dataDirectory;
        Port = port;
        _deleteOnStop = deleteOnStop;
    }

    public int Port { get; }

    public string DataDirectory => _dataDirectory;

    /// <summary>Keyword form, with no password (the cluster trusts loopback connections).</summary>
    public string ConnectionString => ConnectionStringFor(Database);

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database}";

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
        Directory.CreateDirectory(dataDirectory);
        await HandOverToServerUser(dataDirectory, cancellationToken);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await Run(binaries, "initdb", ["-D", dataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-instructions"], cancellationToken);
        }

        // A ghfe killed without stopping its cluster leaves it running on an old port.
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await TryRun(binaries, "pg_ctl", ["stop", "-D", dataDirectory, "-m", "fast", "-w"], cancellationToken);
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
            }
            catch (EmbeddedPostgresException e)
            {
                lastFailure = e; // most likely the port was taken in between: try another
                continue;
            }

            var cluster = new EmbeddedPostgres(binaries, dataDirectory, listen, deleteOnStop);
            await cluster.CreateDatabaseAsync(cancellationToken);
            return cluster;
        }

        throw new EmbeddedPostgresException($"PostgreSQL did not start in {dataDirectory} (see server.log there): {lastFailure?.Message}");
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await TryRun(_binaries, "pg_ctl", ["stop", "-D", _dataDirectory, "-m", "fast", "-w"], CancellationToken.None);
        if (_deleteOnStop)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
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
