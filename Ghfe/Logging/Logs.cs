using Microsoft.Extensions.Logging.Console;

namespace Ghfe.Logging;

/// <summary>
/// One line per entry, UTC timestamps, LOGLEVEL for ghfe and quiet framework chatter. In JSON,
/// each named value of a message (delivery, job, event, action, outcome, …) is a field of its own,
/// and every line written while a delivery is handled carries its DeliveryId scope. Plain text
/// stays readable: the scopes are left out, and each delivery's own line names its id. Neither
/// format writes a control character raw: JSON escapes them (\u001B), text lines too
/// (<see cref="TextLogFormatter"/>).
/// </summary>
public static class Logs
{
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static void Configure(ILoggingBuilder logging, LogLevel level, bool json)
    {
        logging.ClearProviders();
        if (json)
        {
            logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = Timestamp;
                console.IncludeScopes = true;
                console.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            // The simple console's single line, with control characters from requests escaped.
            logging.AddConsole(console => console.FormatterName = TextLogFormatter.FormatterName);
            logging.AddConsoleFormatter<TextLogFormatter, ConsoleFormatterOptions>(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = Timestamp + " ";
            });
        }

        // No trace ids or request scopes of ASP.NET's on the lines: no tracing reads them (DeliveryId
        // is the key), and to supply them the host starts an Activity and a scope per request, CPU
        // on every delivery (most with JSON lines, which write three more scopes each).
        logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.None);
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", level);
        logging.AddFilter("Npgsql", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level > LogLevel.Warning ? level : LogLevel.Warning);
        logging.AddFilter("Polly", level > LogLevel.Warning ? level : LogLevel.Warning);

        // The host logs a start that failed ("Hosting failed to start", an error with the whole
        // stack) before Program.Main prints its one line for it, as it does for a taken port. A
        // background service that crashes still logs critical ("stopping the host"), and any other
        // failure to start ends the process with the runtime's own report.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level > LogLevel.Critical ? level : LogLevel.Critical);
    }
}
