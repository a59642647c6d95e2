using System.Text;
using Ghfe.Configuration;
using Ghfe.GitHub;
using Ghfe.Routing;
using Ghfe.Webhook;

namespace Ghfe.Hosting;

/// <summary>
/// The binary's commands besides serving: <c>check-config [file]</c> validates a routing file and
/// prints its rules; <c>sign &lt;file&gt;</c> prints the X-Hub-Signature-256 of a payload under
/// GHAPP_WEBHOOK_SECRET, for curl; <c>redeliver</c> asks GitHub again for failed deliveries
/// (<see cref="RedeliverCommand"/>). Each returns its exit code and what to print.
/// </summary>
public static class Cli
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "check-config" or "sign" or "redeliver";

    /// <summary>Runs the command, prints what it says (errors on stderr), and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] == "redeliver")
        {
            return await RedeliverCommand.RunAsync(args[1..], Environment.GetEnvironmentVariable, Console.Out, Console.Error, TimeProvider.System);
        }

        var (exitCode, output) = Run(args, Environment.GetEnvironmentVariable);
        await (exitCode == 0 ? Console.Out : Console.Error).WriteLineAsync(output);
        return exitCode;
    }

    public static (int ExitCode, string Output) Run(string[] args, Func<string, string?> variable) => args[0] switch
    {
        // PROD and GHFE_CONFIG read as the service reads them: the file checked is the one it would load, with its images.
        "check-config" when args.Length <= 2 => GhfeSettings.ProdFlag(variable("PROD")).Match(
            Right: prod => CheckConfig(args.Length == 2 ? args[1] : GhfeSettings.ConfigPathOf(variable("GHFE_CONFIG")), prod),
            Left: problem => (2, problem)),
        "sign" when args.Length == 2 => Sign(args[1], variable("GHAPP_WEBHOOK_SECRET")),
        _ => (2, "usage: ghfe check-config [routing-file] | ghfe sign <payload-file> | ghfe redeliver [--since 24h] [--retry-after 30m] [--dry-run] [--max 500]"),
    };

    private static (int, string) CheckConfig(string path, bool prod) =>
        RoutingFile.Load(path, prod).Match(
            Right: config => (0, new StringBuilder()
                .AppendLine($"{path}: valid ({(prod ? "prod" : "staging")} images), {config.Routing.Rules.Count} rules, {config.Entities.Count} entities")
                .AppendJoin(Environment.NewLine, RuleText.Lines(config.Routing))
                .ToString()),
            Left: problem => (1, problem));

    private static (int, string) Sign(string path, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return (1, "GHAPP_WEBHOOK_SECRET is not set: there is nothing to sign with");
        }

        try
        {
            return (0, Signature.Compute(Signature.SecretBytes(secret), File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (1, $"cannot read {path}: {e.Message}");
        }
    }
}
