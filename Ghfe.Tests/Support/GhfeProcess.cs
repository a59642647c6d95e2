using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ghfe.Webhook;

namespace Ghfe.Tests.Support;

/// <summary>ghfe as its own process (the built ghfe.dll), as a replica runs; its console lines are kept.</summary>
public sealed class GhfeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ChildConsole _console;

    private GhfeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        _console = new ChildConsole(process);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IReadOnlyList<string> Lines => _console.Lines;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    private Task WaitReadyAsync() => _console.WaitReadyAsync("ghfe", _process, Client, "/health/ready");

    public static async Task<GhfeProcess> StartAsync(string postgresUrl, params (string Name, string Value)[] environment)
    {
        var ghfe = Launch(postgresUrl, FreePort(), environment);
        await ghfe.WaitReadyAsync();
        return ghfe;
    }

    /// <summary>The ghfe.dll of another build output folder (<paramref name="binaryDirectory"/>), started there as <c>dotnet run</c> starts it.</summary>
    public static async Task<GhfeProcess> StartBuiltInAsync(string binaryDirectory, string postgresUrl, params (string Name, string Value)[] environment)
    {
        var ghfe = Launch(postgresUrl, FreePort(), environment, binaryDirectory: binaryDirectory);
        await ghfe.WaitReadyAsync();
        return ghfe;
    }

    /// <summary>ghfe started inside a cgroup: a shell writes its own pid to <paramref name="cgroupProcs"/>, then becomes ghfe.</summary>
    public static async Task<GhfeProcess> StartInCgroupAsync(string postgresUrl, string cgroupProcs, params (string Name, string Value)[] environment)
    {
        var ghfe = Launch(postgresUrl, FreePort(), environment, cgroupProcs: cgroupProcs);
        await ghfe.WaitReadyAsync();
        return ghfe;
    }

    /// <summary>
    /// ghfe with POSTGRES_URL unset, in <paramref name="workingDirectory"/>: its embedded PostgreSQL
    /// lives in .ghfe/postgres there, shared with any other ghfe started in the same directory.
    /// </summary>
    public static async Task<GhfeProcess> StartEmbeddedAsync(string workingDirectory, params (string Name, string Value)[] environment)
    {
        var ghfe = Launch(string.Empty, FreePort(), environment, workingDirectory);
        await ghfe.WaitReadyAsync();
        return ghfe;
    }

    /// <summary>ghfe on a given port, for a start that must fail: its exit code and console lines.</summary>
    public static Task<(int ExitCode, IReadOnlyList<string> Lines)> RunToExitAsync(string postgresUrl, int port, params (string Name, string Value)[] environment) =>
        RunToExitAsync(postgresUrl, port, workingDirectory: null, environment);

    /// <param name="postgresUrl">Empty for the embedded PostgreSQL of <paramref name="workingDirectory"/>.</param>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunToExitAsync(string postgresUrl, int port, string? workingDirectory, params (string Name, string Value)[] environment)
    {
        await using var ghfe = Launch(postgresUrl, port, environment, workingDirectory);
        return await ghfe.ExitAsync();
    }

    /// <summary>ghfe with exactly these arguments (a subcommand, --help, a wrong flag): its exit code and console lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunCommandAsync(string workingDirectory, params string[] arguments)
    {
        await using var ghfe = Launch(string.Empty, port: null, [], workingDirectory, arguments);
        return await ghfe.ExitAsync();
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Lines)> ExitAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token);
        return (_process.ExitCode, Lines);
    }

    private static GhfeProcess Launch(
        string postgresUrl, int? port, (string Name, string Value)[] environment, string? workingDirectory = null, string[]? arguments = null, string? cgroupProcs = null, string? binaryDirectory = null)
    {
        var start = new ProcessStartInfo(cgroupProcs is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (cgroupProcs is not null)
        {
            // The runtime must start inside the cgroup to see its limit, as in a container.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("echo $$ > \"$0\" && exec dotnet \"$@\"");
            start.ArgumentList.Add(cgroupProcs);
        }

        start.ArgumentList.Add(Path.Combine(binaryDirectory ?? AppContext.BaseDirectory, "ghfe.dll"));
        if (port is not null)
        {
            start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        }

        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in new[] { "PROD", "STAGING_URL", "GHFE_CONFIG", "GHFE_PAGES_TOKEN", "GHFE_PAGES_PUBLIC", "GHFE_LOG_FORMAT", "GHFE_DB_DEADLINE", "LOGLEVEL", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["GHAPP_WEBHOOK_SECRET"] = Deliveries.Secret;
        start.Environment["POSTGRES_URL"] = postgresUrl;
        start.Environment["GHFE_SPOOL_DIR"] = Path.Combine(Path.GetTempPath(), $"ghfe-spool-{Guid.NewGuid():N}");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var ghfe = new GhfeProcess(process, new Uri($"http://127.0.0.1:{port ?? 0}/"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return ghfe;
    }

    /// <param name="headers">More headers, as GitHub sends them (the App's hook target, say).</param>
    public async Task<(int Status, string Text)> DeliverAsync(string eventName, byte[] body, string? deliveryId = null, params (string Name, string Value)[] headers)
    {
        var delivery = Deliveries.Signed(eventName, body, deliveryId ?? Guid.NewGuid().ToString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation(Event.Header, eventName);
        request.Headers.TryAddWithoutValidation(Signature.Header, delivery.Signature);
        request.Headers.TryAddWithoutValidation(Event.DeliveryHeader, delivery.DeliveryId);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>Waits for a console line that <paramref name="matches"/> (ghfe logs a delivery after answering it); 10 s at most.</summary>
    public async Task WaitForLineAsync(Func<string, bool> matches)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!Lines.Any(matches))
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"no such line in 10 s: {string.Join('\n', Lines)}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush — a crash.</summary>
    public void Crash()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod; the exit code (or -1 if it had to be killed after 15 s).</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            return -1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
        _process.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
