using System.Text;
using Ghfe.Configuration;
using Ghfe.Routing;
using Ghfe.Webhook;

namespace Ghfe.Hosting;

/// <summary>
/// The binary's commands besides serving: <c>check-config [file]</c> validates a routing file and
/// prints its rules; <c>sign &lt;file&gt;</c> prints the X-Hub-Signature-256 of a payload under
/// GHAPP_WEBHOOK_SECRET, for curl. Each returns its exit code and what to print.
/// </summary>
public static class Cli
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "check-config" or "sign";

    public static (int ExitCode, string Output) Run(string[] args, Func<string, string?> variable) => args[0] switch
    {
        "check-config" when args.Length <= 2 => CheckConfig(args.Length == 2 ? args[1] : variable("GHFE_CONFIG") ?? RoutingFile.ShippedPath, variable("PROD")),
        "sign" when args.Length == 2 => Sign(args[1], variable("GHAPP_WEBHOOK_SECRET")),
        _ => (2, "usage: ghfe check-config [routing-file] | ghfe sign <payload-file>"),
    };

    private static (int, string) CheckConfig(string path, string? prod)
    {
        var isProd = string.Equals(prod?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || prod?.Trim() == "1";
        return RoutingFile.Load(path, isProd).Match(
            Right: config => (0, new StringBuilder()
                .AppendLine($"{path}: valid ({(isProd ? "prod" : "staging")} images), {config.Routing.Rules.Count} rules, {config.Entities.Count} entities")
                .AppendJoin(Environment.NewLine, RuleText.Lines(config.Routing))
                .ToString()),
            Left: problem => (1, problem));
    }

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
