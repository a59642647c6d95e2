namespace Ghfe.Hosting;

/// <summary>One line per entry, UTC timestamps, LOGLEVEL for ghfe and quiet framework chatter.</summary>
public static class Logs
{
    public static void Configure(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", level);
        logging.AddFilter("Npgsql", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("Polly", level > LogLevel.Warning ? level : LogLevel.Warning);
    }
}
