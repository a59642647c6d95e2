using System.Globalization;

namespace Ghfe.Redelivery;

/// <summary>What an answer of GitHub's says about its rate limit.</summary>
public abstract record RateLimit
{
    private RateLimit()
    {
    }

    /// <summary>Go on.</summary>
    public sealed record Clear : RateLimit;

    /// <summary>Limited: the request may be tried again after <paramref name="Wait"/> (the primary limit's reset, or Retry-After).</summary>
    public sealed record Limited(TimeSpan Wait, string Why) : RateLimit;

    /// <summary>
    /// Reads an answer's status and rate-limit headers (<c>Retry-After</c> in seconds,
    /// <c>X-RateLimit-Remaining</c>, <c>X-RateLimit-Reset</c> in epoch seconds), as GitHub documents
    /// them: a 403 or 429 with <c>Retry-After</c> (secondary limit) or with no requests remaining
    /// (primary limit) is a rate limit; a 403 without either is a refusal, not a limit.
    /// </summary>
    public static RateLimit Of(int status, string? retryAfter, string? remaining, string? reset, DateTimeOffset now)
    {
        var exhausted = remaining is not null && long.TryParse(remaining, CultureInfo.InvariantCulture, out var left) && left <= 0;
        if (status is 403 or 429)
        {
            if (long.TryParse(retryAfter, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                // Clamped to a day: that stops the run all the same, and a huge value must not overflow.
                return new Limited(TimeSpan.FromSeconds(Math.Min(seconds, 86_400)), $"rate limited ({status}, Retry-After {seconds} s)");
            }

            if (exhausted || status == 429)
            {
                return new Limited(UntilReset(reset, now) ?? TimeSpan.FromMinutes(1), $"rate limited ({status}, no requests left until {ResetText(reset, now)})");
            }

            return new Clear();
        }

        // A success that spent the last request: the next one would be refused, so wait for the reset first.
        return exhausted
            ? new Limited(UntilReset(reset, now) ?? TimeSpan.FromMinutes(1), $"rate limit spent (no requests left until {ResetText(reset, now)})")
            : new Clear();
    }

    /// <summary>Epoch seconds GitHub can mean: up to a day ahead (anything else is clamped, never overflowed).</summary>
    private static long? ResetEpoch(string? reset, DateTimeOffset now) =>
        long.TryParse(reset, CultureInfo.InvariantCulture, out var epoch)
            ? Math.Clamp(epoch, now.ToUnixTimeSeconds(), now.ToUnixTimeSeconds() + 86_400)
            : null;

    private static TimeSpan? UntilReset(string? reset, DateTimeOffset now) =>
        ResetEpoch(reset, now) is { } epoch ? TimeSpan.FromSeconds(epoch - now.ToUnixTimeSeconds()) : null;

    private static string ResetText(string? reset, DateTimeOffset now) =>
        ResetEpoch(reset, now) is { } epoch
            ? DateTimeOffset.FromUnixTimeSeconds(epoch).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : "the reset, in about a minute";
}
