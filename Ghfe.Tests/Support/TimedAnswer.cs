using System.Diagnostics;

namespace Ghfe.Tests.Support;

/// <summary>A delivery's status and how long it took; status 0 when the connection failed or timed out.</summary>
public static class TimedAnswer
{
    public static async Task<(int Status, double Seconds)> OfAsync(Func<Task<(int Status, string Text)>> send)
    {
        var started = Stopwatch.GetTimestamp();
        int status;
        try
        {
            (status, _) = await send();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = 0;
        }

        return (status, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
