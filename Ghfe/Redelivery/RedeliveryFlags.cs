using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Redelivery;

/// <summary>The flags of <c>ghfe redeliver</c>: <c>--since 24h --retry-after 30m --dry-run --max 500 --max-pages 300</c>.</summary>
public static partial class RedeliveryFlags
{
    public const string Usage = "usage: ghfe redeliver [--since 24h] [--retry-after 30m] [--dry-run] [--max 500] [--max-pages 300] [--help]";

    /// <summary>What <c>ghfe redeliver --help</c> prints.</summary>
    public static readonly string Help = string.Join(
        Environment.NewLine,
        Usage,
        "asks GitHub again for the workflow_job deliveries that never succeeded, for each GitHub App whose key is set",
        "",
        "  --since <duration>        look-back window: 90s, 30m, 24h, 2d, 1h30m (default 24h; GitHub keeps deliveries 3 days)",
        "  --retry-after <duration>  how long a redelivery is given before it is asked for again (default 30m)",
        "  --dry-run                 list what would be asked for, ask nothing",
        "  --max N                   at most N redeliveries per App per run, oldest first (default 500)",
        "  --max-pages N             at most N pages of the listing per App per run (default 300)",
        "  --help, -h                print this",
        "",
        "settings (environment variables):",
        "  GHAPP_ORG_PRIVATE_KEY       the org App's private key (PEM)",
        "  GHAPP_ORG_ID                its App id (default 2167633)",
        "  GHAPP_PERSONAL_PRIVATE_KEY  the personal App's private key (PEM)",
        "  GHAPP_PERSONAL_ID           its App id (default 3131217)",
        "  GITHUB_API_URL              the API root (default https://api.github.com)",
        "",
        "exit status: 0 everything went through; 1 something failed or was skipped (one line each on stderr);",
        "2 a bad flag, App id or GITHUB_API_URL, or no key set at all");

    /// <summary>True when the arguments ask for <see cref="Help"/>, wherever the flag stands.</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args) => args.Any(arg => arg is "--help" or "-h");

    /// <summary>The options, or the one line that says what is wrong with the flags.</summary>
    public static Either<string, RedeliveryOptions> Parse(IReadOnlyList<string> args)
    {
        var options = RedeliveryOptions.Default;
        for (var at = 0; at < args.Count; at++)
        {
            var (flag, inline) = args[at].Split('=', 2) is [var f, var v] ? (f, v) : (args[at], null);
            if (flag == "--dry-run" && inline is null)
            {
                options = options with { DryRun = true };
                continue;
            }

            if (flag is not ("--since" or "--retry-after" or "--max" or "--max-pages"))
            {
                return Left<string, RedeliveryOptions>($"unknown flag {args[at]}; {Usage}");
            }

            var value = inline ?? (at + 1 < args.Count ? args[++at] : null);
            if (value is null)
            {
                return Left<string, RedeliveryOptions>($"{flag} needs a value; {Usage}");
            }

            switch (flag)
            {
                case "--max" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0:
                    options = options with { Max = max };
                    break;
                case "--max-pages" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pages) && pages > 0:
                    options = options with { MaxPages = pages };
                    break;
                case "--max" or "--max-pages":
                    return Left<string, RedeliveryOptions>($"{flag} must be a positive whole number (got \"{value}\")");
                default:
                    var duration = Duration(value);
                    if (duration is not { } span)
                    {
                        return Left<string, RedeliveryOptions>($"{flag} must be a duration such as 90s, 30m, 24h, 2d or 1h30m (got \"{value}\")");
                    }

                    options = flag == "--since" ? options with { Since = span } : options with { RetryAfter = span };
                    break;
            }
        }

        return Right<string, RedeliveryOptions>(options);
    }

    /// <summary>Longer than GitHub keeps deliveries (3 days) by far, and short enough to subtract from any date.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    /// <summary>A duration written as units: <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>2d</c>, <c>1h30m</c>; null when it is not one, zero, or past ten years.</summary>
    public static TimeSpan? Duration(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var amount = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            total += part.Value[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            if (total > Longest)
            {
                return null;
            }
        }

        return total > TimeSpan.Zero ? total : null;
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}[smhd])+$")]
    private static partial Regex DurationPattern();
}
