using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Ghfe.Logging;

/// <summary>
/// Plain-text log lines as the simple console formatter writes them on one line
/// (<c>2026-12-06T00:43:52.123Z info: Category[0] message</c>), with every control character
/// escaped: a delivery id or event header may carry ESC, CR or LF, and raw they would recolour a
/// terminal or forge a line. In a message they read as <c>\n</c>, <c>\r</c>, <c>\t</c> or
/// <c>\u001b</c>; in an exception's text, line breaks are spaces (its stack trace stays on its line).
/// </summary>
public sealed class TextLogFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "ghfe-text";

    /// <summary>C0 and C1 controls (C1 holds a one-byte CSI, 0x9B), DEL, and Unicode's line and paragraph separators.</summary>
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c), '\u2028', '\u2029']);

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var format = options.CurrentValue;
        if (format.TimestampFormat is { } timestamp)
        {
            var now = format.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            textWriter.Write(now.ToString(timestamp, CultureInfo.InvariantCulture));
        }

        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        WriteEscaped(textWriter, message, breaksAsSpaces: false);
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(' ');
            WriteEscaped(textWriter, exception.ToString(), breaksAsSpaces: true);
        }

        textWriter.Write(Environment.NewLine);
    }

    /// <summary>The text with each control character escaped (or, for line breaks when asked, a space).</summary>
    public static void WriteEscaped(TextWriter writer, ReadOnlySpan<char> text, bool breaksAsSpaces)
    {
        for (var at = text.IndexOfAny(Unsafe); at >= 0; at = text.IndexOfAny(Unsafe))
        {
            writer.Write(text[..at]);
            writer.Write(text[at] switch
            {
                '\n' or '\r' when breaksAsSpaces => " ",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                var control => "\\u" + ((int)control).ToString("x4", CultureInfo.InvariantCulture),
            });
            text = text[(at + 1)..];
        }

        writer.Write(text);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString(),
    };
}
