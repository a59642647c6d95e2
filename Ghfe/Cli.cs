using System.Text;
using Ghfe.Configuration;
using Ghfe.GitHub;
using Ghfe.Routing;
using Ghfe.Webhook;

namespace Ghfe;

/// <summary>
/// The binary's command line. With no subcommand it serves, and takes settings as
/// <c>--NAME=value</c> (or <c>--NAME value</c>); <c>check-config [file]</c> validates a routing
/// file and prints its rules; <c>sign &lt;file&gt;</c> prints the X-Hub-Signature-256 of a payload
/// under GHAPP_WEBHOOK_SECRET, for curl; <c>--help</c> prints the usage. Anything else prints the
/// usage and exits 2 before anything starts. <c>redeliver</c> asks GitHub again for failed
/// deliveries (<see cref="RedeliverCommand"/>). Relative paths are the caller's: they resolve from
/// the working directory (<c>dotnet run</c> keeps the caller's, see Ghfe.csproj).
/// </summary>
public static class Cli
{
    /// <summary>The settings ghfe reads, as the usage lists them.</summary>
    private static readonly (string Name, string Meaning)[] Settings =
    [
        ("GHAPP_WEBHOOK_SECRET", "HMAC secret shared with the GitHub App (generated when POSTGRES_URL is unset)"),
        ("GHAPP_WEBHOOK_SECRET_PREVIOUS", "a second secret accepted during a rotation"),
        ("POSTGRES_URL", "postgresql://user:pass@host:port/db?sslmode=require or an Npgsql keyword string; unset: an embedded PostgreSQL in ./.ghfe/postgres"),
        ("PROD", "true: schema prod, channel prod_queue_event, *-latest images; else staging"),
        ("STAGING_URL", "where prod forwards webhooks of staging repositories"),
        ("GHFE_CONFIG", "the routing file (default: routing.json next to the binary; under `dotnet run`, the project's Ghfe/routing.json)"),
        ("LOGLEVEL", "DEBUG, INFO, WARNING or ERROR (default INFO)"),
        ("GHFE_PAGES_TOKEN", "token the pages require (Bearer or ?token=); unset: open in staging, closed in prod"),
        ("GHFE_PAGES_PUBLIC", "true: prod serves the pages without a token"),
        ("GHFE_LOG_FORMAT", "text or json"),
        ("GHFE_SPOOL_DIR", "the journal of deliveries PostgreSQL could not take (default ./.ghfe/spool)"),
        ("GHFE_DB_DEADLINE", "seconds a delivery waits out a database failure before it spools (default 5)"),
        ("GHFE_DELIVERY_RETENTION_DAYS", "days /deliveries keeps a delivery (default 14)"),
        ("GHFE_SCHEMA_GENERATION", "app or control-plane: the schema an empty database gets (default app; a database that holds one is kept in it)"),
    ];

    /// <summary>The host's own settings that ghfe passes through.</summary>
    private static readonly string[] HostSettings = ["urls", "http_ports", "https_ports", "environment", "contentRoot", "applicationName"];

    public static string Usage { get; } = UsageText();

    /// <summary>True unless the arguments are the service's settings: then Program serves.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && (args[0] is "check-config" or "sign" or "redeliver" || !AreServiceSettings(args));

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
        "--help" or "-h" or "help" when args.Length == 1 => (0, Usage),
        "check-config" or "sign" when args is [_, "--help" or "-h"] => (0, CommandUsage(args[0])),
        // PROD and GHFE_CONFIG read as the service reads them: the file checked is the one it would load, with its images.
        "check-config" when args.Length <= 2 => GhfeSettings.ProdFlag(variable("PROD")).Match(
            Right: prod => CheckConfig(args.Length == 2 ? args[1] : GhfeSettings.ConfigPathOf(variable("GHFE_CONFIG")), prod),
            Left: problem => (2, problem)),
        "sign" when args.Length == 2 => Sign(args[1], variable("GHAPP_WEBHOOK_SECRET")),
        _ => (2, $"ghfe: {Unexpected(args)}{Environment.NewLine}{Environment.NewLine}{Usage}"),
    };

    private static string Unexpected(string[] args) => args[0] switch
    {
        "check-config" => "check-config takes at most one file",
        "sign" => "sign takes exactly one file",
        "--help" or "-h" or "help" => "--help takes nothing else",
        _ => FirstUnexpected(args) switch
        {
            null => "unexpected arguments",
            var odd when odd.StartsWith('-') => $"unknown option {odd.Split('=')[0]}",
            var odd => $"unknown command {odd}",
        },
    };

    private static bool AreServiceSettings(string[] args) => FirstUnexpected(args) is null && !MissesAValue(args);

    /// <summary>
    /// The first argument that is not one of <c>--NAME=value</c> or <c>--NAME value</c> naming a
    /// known setting, a host setting or a configuration section (<c>--Kestrel:Limits:…</c>).
    /// </summary>
    private static string? FirstUnexpected(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!IsServiceSetting(args[i]))
            {
                return args[i];
            }

            if (!args[i].Contains('=', StringComparison.Ordinal))
            {
                i++; // --NAME value
            }
        }

        return null;
    }

    private static bool MissesAValue(string[] args) => args[^1].StartsWith("--", StringComparison.Ordinal) && !args[^1].Contains('=', StringComparison.Ordinal)
        && (args.Length == 1 || !IsServiceSetting(args[^2]) || args[^2].Contains('=', StringComparison.Ordinal));

    private static bool IsServiceSetting(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
        {
            return false;
        }

        var name = arg[2..].Split('=', 2)[0];
        return name.Contains(':', StringComparison.Ordinal)
            || Settings.Any(setting => string.Equals(setting.Name, name, StringComparison.OrdinalIgnoreCase))
            || HostSettings.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    private static string UsageText()
    {
        var text = new StringBuilder()
            .AppendLine("ghfe: the webhook front-end for GitHub workflow_job deliveries (verifies, routes, stores in PostgreSQL).")
            .AppendLine()
            .AppendLine("usage:")
            .AppendLine("  ghfe [--NAME=value ...]          serve on http://0.0.0.0:8080 (--urls=http://host:port for another address)")
            .AppendLine("  ghfe check-config [file]         validate a routing file (default: GHFE_CONFIG or the shipped one) and print its rules")
            .AppendLine("  ghfe sign <file>                 print the X-Hub-Signature-256 of a payload under GHAPP_WEBHOOK_SECRET")
            .AppendLine("  ghfe redeliver [--since 24h] [--retry-after 30m] [--dry-run] [--max 500] [--max-pages 300]")
            .AppendLine("                                   ask GitHub again for workflow_job deliveries that never succeeded")
            .AppendLine("                                   (GHAPP_ORG_PRIVATE_KEY / GHAPP_PERSONAL_PRIVATE_KEY, GHAPP_*_ID, GITHUB_API_URL)")
            .AppendLine("  ghfe --help | -h                 print this; ghfe <command> --help prints a command's own usage")
            .AppendLine()
            .AppendLine("settings (environment variables, or --NAME=value on the command line):");
        foreach (var (name, meaning) in Settings)
        {
            text.AppendLine($"  {name,-30} {meaning}");
        }

        return text
            .AppendLine()
            .Append("Relative paths resolve from the working directory. With `dotnet run --project Ghfe`, put ghfe's arguments after `--`.")
            .ToString();
    }

    private static string CommandUsage(string command) => command switch
    {
        "check-config" => string.Join(
            Environment.NewLine,
            "usage: ghfe check-config [file]",
            "validate a routing file and print its rules; exit 0 when it is valid, 1 with the problem on one line",
            "  file    default: GHFE_CONFIG, else routing.json next to the binary (under `dotnet run`, the project's Ghfe/routing.json)",
            "  PROD    true checks the images production would use (*-latest); else staging's"),
        _ => string.Join(
            Environment.NewLine,
            "usage: ghfe sign <file>",
            "print the X-Hub-Signature-256 of a payload file under GHAPP_WEBHOOK_SECRET, for curl;",
            "exit 1 when the secret is unset or the file cannot be read"),
    };

    private static (int, string) CheckConfig(string path, bool prod) =>
        RoutingFile.Load(path, prod).Match(
            Right: config => (0, new StringBuilder()
                .AppendLine($"{path}: valid ({(prod ? "prod" : "staging")} images), {config.Routing.Rules.Count} rules, {config.Entities.Count} entities")
                .AppendLine(config.Admission.Describe())
                .AppendJoin(Environment.NewLine, RuleText.Lines(config.Routing, config.Entities.ToDictionary(entity => entity.Id, entity => entity.Login).GetValueOrDefault))
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
