using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Redelivery;

/// <summary>The flags of <c>ghfe redeliver</c>: <c>--since 24h --retry-after 30m --dry-run --max 500 --max-pages 300</c>.</summary>
public static partial class RedeliveryFlags
{
    public const string Usage = "usage: ghfe redeliver [--since 24h] [--retry-after 30m] [--dry-run] [--max 500] [--max-pages 300]";

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
