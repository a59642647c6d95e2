using System.Globalization;

namespace Ghfe.Pages;

/// <summary>Durations as people read them on a dashboard: the two largest units.</summary>
public static class Durations
{
    public static string Short(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration switch
        {
            { TotalSeconds: < 60 } => $"{(int)duration.TotalSeconds}s",
            { TotalMinutes: < 60 } => $"{duration.Minutes}m {duration.Seconds:00}s",
            { TotalHours: < 24 } => $"{duration.Hours}h {duration.Minutes:00}m",
            _ => $"{(int)duration.TotalDays}d {duration.Hours:00}h",
        };
    }

    public static string Short(double? seconds) =>
        seconds is { } value ? Short(TimeSpan.FromSeconds(Math.Round(value))) : "–";

    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
