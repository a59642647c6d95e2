using System.Threading.Channels;

namespace Ghfe.Hosting;

/// <summary>
/// How ghfe's background loops wait: a wait that ends because ghfe stops is the loop's end,
/// not an error. Thrown instead, it reads in the log as a crashed service ("BackgroundService
/// failed", critical) whenever ghfe stops because it never started, as on a taken port.
/// </summary>
public static class Stopping
{
    /// <summary>The next tick, or false once ghfe stops.</summary>
    public static async Task<bool> TickAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>True when something waits to be read; false once the writer is done or ghfe stops.</summary>
    public static async Task<bool> WaitAsync<T>(this ChannelReader<T> reader, CancellationToken stoppingToken)
    {
        try
        {
            return await reader.WaitToReadAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
