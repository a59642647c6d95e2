using System.Diagnostics;

namespace Ghfe.Tests.Support;

public static class Processes
{
    /// <summary>Runs a program in a directory to its end: its exit code and its output lines (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
