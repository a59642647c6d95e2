using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<string> _lines = new();

    private GhfeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public static async Task<GhfeProcess> StartAsync(string postgresUrl, params (string Name, string Value)[] environment)
    {
        var ghfe = Launch(postgresUrl, FreePort(), environment);
        await ghfe.WaitReadyAsync();
        return ghfe;
    }

    /// <summary>ghfe on a given port, for a start that must fail: its exit code and console lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunToExitAsync(string postgresUrl, int port, params (string Name, string Value)[] environment)
    {
        await using var ghfe = Launch(postgresUrl, port, environment);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ghfe._process.WaitForExitAsync(deadline.Token);
        return (ghfe._process.ExitCode, ghfe.Lines);
    }

    private static GhfeProcess Launch(string postgresUrl, int port, (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ghfe.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var name in new[] { "PROD", "STAGING_URL", "GHFE_CONFIG", "GHFE_PAGES_TOKEN", "GHFE_LOG_FORMAT", "GHFE_DB_DEADLINE", "LOGLEVEL", "ASPNETCORE_URLS" })
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
        var ghfe = new GhfeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return ghfe;
    }

    public async Task<(int Status, string Text)> DeliverAsync(string eventName, byte[] body, string? deliveryId = null)
    {
        var delivery = Deliveries.Signed(eventName, body, deliveryId ?? Guid.NewGuid().ToString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation(Event.Header, eventName);
        request.Headers.TryAddWithoutValidation(Signature.Header, delivery.Signature);
        request.Headers.TryAddWithoutValidation(Event.DeliveryHeader, delivery.DeliveryId);
        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
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

    private async Task WaitReadyAsync()
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ghfe exited {_process.ExitCode}: {string.Join('\n', _lines)}");
            }

            try
            {
                using var ready = await Client.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"ghfe was not ready in 30 s: {string.Join('\n', _lines)}");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    /// <summary>A 127.0.0.1 port nothing listens on (for now).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
