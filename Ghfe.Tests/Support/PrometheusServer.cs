using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Ghfe.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's prometheus; CI installs it) on a free 127.0.0.1 port, in a
/// temporary directory, scraping one target every second under job="ghfe" and evaluating the
/// given rules every second. Stopped and deleted on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly ChildConsole _console;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        _console = new ChildConsole(process);
    }

    public HttpClient Client { get; }

    public IReadOnlyList<string> Lines => _console.Lines;

    public static async Task<PrometheusServer> StartAsync(Uri target, string rules)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ghfe-prometheus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "rules.yml"), rules);
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - rules.yml
            scrape_configs:
              - job_name: ghfe
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);

        var port = GhfeProcess.FreePort();
        var start = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            $"--config.file={Path.Combine(directory, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server._console.WaitReadyAsync("prometheus", process, server.Client, "/-/ready");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query through the HTTP API: whether it parsed and ran (else the error), and how many series it returned.</summary>
    public async Task<(bool Ok, int Series, string? Error)> QueryAsync(string expr)
    {
        using var response = await Client.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expr)}");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = answer.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return (false, 0, root.GetProperty("errorType").GetString() + ": " + root.GetProperty("error").GetString());
        }

        var data = root.GetProperty("data");
        var series = data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
        return (true, series, null);
    }

    /// <summary>The alerts Prometheus holds now: name, state (pending or firing), labels.</summary>
    public async Task<IReadOnlyList<(string Name, string State, IReadOnlyDictionary<string, string> Labels)>> AlertsAsync()
    {
        using var answer = JsonDocument.Parse(await Client.GetStringAsync("/api/v1/alerts"));
        return
        [
            .. answer.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(alert =>
            {
                var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
                return (labels["alertname"], alert.GetProperty("state").GetString()!, (IReadOnlyDictionary<string, string>)labels);
            }),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a temporary directory left behind is no failure
        }
    }
}
