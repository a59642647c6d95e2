using System.Diagnostics;

namespace Ghfe.Tests.Support;

/// <summary>The built <c>ghfe redeliver</c> in a process of its own, as its CronJob runs it.</summary>
public static class BuiltRedeliver
{
    /// <param name="environment">Variables set for the run; a null value removes one the test process has.</param>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan deadline)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ghfe.dll"));
        start.ArgumentList.Add("redeliver");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ghfe redeliver did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
