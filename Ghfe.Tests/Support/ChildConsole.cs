using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ghfe.Tests.Support;

/// <summary>The console lines of a server the tests start as a child process (ghfe, Prometheus), and the wait for it to be ready.</summary>
public sealed class ChildConsole
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Keeps the process's stdout and stderr lines; call before BeginOutputReadLine.</summary>
    public ChildConsole(Process process)
    {
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Polls <paramref name="path"/> until it answers 2xx (30 s at most); fails at once if the process exits.</summary>
    public async Task WaitReadyAsync(string name, Process process, HttpClient client, string path)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited {process.ExitCode}: {string.Join('\n', _lines)}");
            }

            try
            {
                using var ready = await client.GetAsync(path);
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

        throw new TimeoutException($"{name} was not ready in 30 s: {string.Join('\n', _lines)}");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
