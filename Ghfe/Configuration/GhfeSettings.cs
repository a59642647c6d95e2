using Ghfe.Webhook;
using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace Ghfe.Configuration;

/// <summary>The environment, read once at start-up (names kept from the Python handler).</summary>
/// <param name="Secrets">GHAPP_WEBHOOK_SECRET then GHAPP_WEBHOOK_SECRET_PREVIOUS; empty only before the embedded mode generates one.</param>
/// <param name="SecretGenerated">No secret was set: the embedded mode generated the one in <paramref name="Secrets"/>.</param>
/// <param name="PostgresUrl">POSTGRES_URL; null runs an embedded PostgreSQL.</param>
/// <param name="PagesToken">GHFE_PAGES_TOKEN; null leaves the pages open, except in production (see <see cref="PagesAccess"/>).</param>
/// <param name="PagesPublic">GHFE_PAGES_PUBLIC=true: production serves the pages to anyone without a token.</param>
/// <param name="JsonLogs">GHFE_LOG_FORMAT=json: one JSON object a line, fields apart.</param>
/// <param name="SpoolDirectory">GHFE_SPOOL_DIR: the journal of commands the database could not take in time.</param>
/// <param name="DeliveryRetentionDays">GHFE_DELIVERY_RETENTION_DAYS: how long /deliveries keeps a delivery.</param>
/// <param name="DatabaseDeadline">GHFE_DB_DEADLINE (seconds): how long a delivery waits out a database failure before it spools.</param>
/// <param name="SchemaGeneration">GHFE_SCHEMA_GENERATION: the generation an empty schema is made in; null when unset (app).</param>
/// <param name="TraceApiSecret">TRACE_API_SECRET: the Bearer token /trace needs; null leaves /trace unserved.</param>
public sealed record GhfeSettings(
    IReadOnlyList<string> Secrets,
    string? PostgresUrl,
    bool Prod,
    Option<Uri> StagingUrl,
    string ConfigPath,
    LogLevel LogLevel,
    string? PagesToken = null,
    bool PagesPublic = false,
    bool JsonLogs = false,
    string SpoolDirectory = ".ghfe/spool",
    TimeSpan DatabaseDeadline = default,
    int DeliveryRetentionDays = 14,
    bool SecretGenerated = false,
    SchemaGeneration? SchemaGeneration = null,
    string? TraceApiSecret = null)
{
    /// <summary>The database schema and the prefix of the NOTIFY channel.</summary>
    public string Schema => Prod ? "prod" : "staging";

    public string NotifyChannel => $"{Schema}_queue_event";

    /// <summary>
    /// The pages show private repository names: a token when one is set; without one, open in
    /// staging, and in production only when GHFE_PAGES_PUBLIC says so. Production without either
    /// closes the pages rather than stopping start-up, so that deliveries go on.
    /// </summary>
    public PagesAccess PagesAccess => (PagesToken, Prod, PagesPublic) switch
    {
        (not null, _, _) => PagesAccess.BehindToken,
        (null, true, false) => PagesAccess.Closed,
        _ => PagesAccess.Public,
    };

    public static Either<string, GhfeSettings> Read(Func<string, string?> variable)
    {
        var current = NullIfEmpty(variable("GHAPP_WEBHOOK_SECRET"));
        var previous = NullIfEmpty(variable("GHAPP_WEBHOOK_SECRET_PREVIOUS"));
        var postgresUrl = NullIfEmpty(variable("POSTGRES_URL"));

        return
            from secrets in (current, previous, postgresUrl) switch
            {
                (null, not null, _) => Left<string, string[]>("GHAPP_WEBHOOK_SECRET_PREVIOUS is set but GHAPP_WEBHOOK_SECRET is not"),
                (null, null, not null) => Left<string, string[]>("GHAPP_WEBHOOK_SECRET is required when POSTGRES_URL is set"),
                (null, null, null) => Right<string, string[]>([]),
                (not null, null, _) => Right<string, string[]>([current]),
                _ => Right<string, string[]>([current!, previous!]),
            }
            from prod in ProdFlag(variable("PROD"))
            from stagingUrl in AbsoluteHttpUrl(variable("STAGING_URL"))
            from logLevel in Level(variable("LOGLEVEL"))
            from pagesPublic in Flag("GHFE_PAGES_PUBLIC", variable("GHFE_PAGES_PUBLIC"))
            from jsonLogs in LogFormat(variable("GHFE_LOG_FORMAT"))
            from deadline in Seconds("GHFE_DB_DEADLINE", variable("GHFE_DB_DEADLINE"), 5)
            from retention in Days("GHFE_DELIVERY_RETENTION_DAYS", variable("GHFE_DELIVERY_RETENTION_DAYS"), 14)
            from generation in Generation(variable("GHFE_SCHEMA_GENERATION"))
            select new GhfeSettings(
                secrets,
                postgresUrl,
                prod,
                stagingUrl,
                ConfigPathOf(variable("GHFE_CONFIG")),
                logLevel,
                NullIfEmpty(variable("GHFE_PAGES_TOKEN")),
                pagesPublic,
                jsonLogs,
                NullIfEmpty(variable("GHFE_SPOOL_DIR")) ?? Path.Combine(".ghfe", "spool"),
                deadline,
                retention,
                SchemaGeneration: generation.ToNullable(),
                TraceApiSecret: NullIfEmpty(variable("TRACE_API_SECRET")));
    }

    /// <summary>PROD as the service reads it; <c>check-config</c> reads it the same way.</summary>
    public static Either<string, bool> ProdFlag(string? value) => Flag("PROD", value);

    /// <summary>GHFE_CONFIG, or when it is unset or empty the project's routing file under `dotnet run`, else the shipped one.</summary>
    public static string ConfigPathOf(string? value) => NullIfEmpty(value) ?? ProjectRoutingFile.DefaultPath;

    private static Either<string, bool> Flag(string name, string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        _ => $"{name} must be true or false (got \"{value}\")",
    };

    private static Either<string, Option<Uri>> AbsoluteHttpUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Right<string, Option<Uri>>(None);
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? Right<string, Option<Uri>>(Some(url))
            : $"STAGING_URL must be an absolute http or https URL (got \"{value}\")";
    }

    private static Either<string, LogLevel> Level(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "INFO" => LogLevel.Information,
        "DEBUG" => LogLevel.Debug,
        "WARNING" or "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        _ => $"LOGLEVEL must be DEBUG, INFO, WARNING or ERROR (got \"{value}\")",
    };

    private static Either<string, TimeSpan> Seconds(string name, string? value, double fallback) =>
        string.IsNullOrWhiteSpace(value) ? TimeSpan.FromSeconds(fallback)
        : double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 60
            ? TimeSpan.FromSeconds(seconds)
            : $"{name} must be a number of seconds from 0 to 60 (got \"{value}\")";

    private static Either<string, int> Days(string name, string? value, int fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 3650
            ? Right<string, int>(days)
            : $"{name} must be a number of days from 1 to 3650 (got \"{value}\")";

    private static Either<string, Option<SchemaGeneration>> Generation(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Right<string, Option<SchemaGeneration>>(None)
        : SchemaGenerations.Parse(value) is { } generation ? Right<string, Option<SchemaGeneration>>(Some(generation))
        : $"GHFE_SCHEMA_GENERATION must be app or control-plane (got \"{value}\")";

    private static Either<string, bool> LogFormat(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "text" => false,
        "json" => true,
        _ => $"GHFE_LOG_FORMAT must be text or json (got \"{value}\")",
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
