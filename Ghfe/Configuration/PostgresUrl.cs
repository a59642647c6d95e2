using LanguageExt;
using Npgsql;
using static LanguageExt.Prelude;

namespace Ghfe.Configuration;

/// <summary>
/// POSTGRES_URL as a libpq URI (<c>postgresql://user:pass@host:port/db?sslmode=require</c>,
/// percent-encoded, several hosts allowed) or as an Npgsql keyword string. No message here
/// ever repeats the value: it may hold a password.
/// </summary>
public static class PostgresUrl
{
    public static Either<string, NpgsqlConnectionStringBuilder> Parse(string value)
    {
        var text = value.Trim();
        return text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            ? FromUri(text)
            : FromKeywords(text);
    }

    /// <summary>Where the data source points, for logs: never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        (builder.Host?.Contains(',', StringComparison.Ordinal) == true ? builder.Host : $"{builder.Host}:{builder.Port}")
        + $"/{builder.Database} as {builder.Username}";

    private static Either<string, NpgsqlConnectionStringBuilder> FromKeywords(string text)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            return string.IsNullOrEmpty(builder.Host)
                ? Left<string, NpgsqlConnectionStringBuilder>("POSTGRES_URL names no host")
                : builder;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return "POSTGRES_URL is neither a postgresql:// URI nor a valid Npgsql connection string (" + KeywordProblem(e) + ")";
        }
    }

    private static Either<string, NpgsqlConnectionStringBuilder> FromUri(string text)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];

        var queryAt = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryAt >= 0 ? rest[(queryAt + 1)..] : string.Empty;
        rest = queryAt >= 0 ? rest[..queryAt] : rest;

        var pathAt = rest.IndexOf('/', StringComparison.Ordinal);
        var database = pathAt >= 0 ? rest[(pathAt + 1)..] : string.Empty;
        var authority = pathAt >= 0 ? rest[..pathAt] : rest;

        var userAt = authority.LastIndexOf('@');
        var userInfo = userAt >= 0 ? authority[..userAt] : string.Empty;
        var hosts = userAt >= 0 ? authority[(userAt + 1)..] : authority;

        try
        {
            if (userInfo.Length > 0)
            {
                var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
                builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
                if (colon >= 0)
                {
                    builder.Password = Decode(userInfo[(colon + 1)..]);
                }
            }

            if (hosts.Length > 0)
            {
                SetHosts(builder, Decode(hosts));
            }

            if (database.Length > 0)
            {
                builder.Database = Decode(database);
            }

            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Decode(equals >= 0 ? pair[..equals] : pair);
                var problem = Apply(builder, key, Decode(equals >= 0 ? pair[(equals + 1)..] : string.Empty));
                if (problem is not null)
                {
                    return problem;
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            return "POSTGRES_URL is a malformed postgresql:// URI (" + e.GetType().Name + ")";
        }

        return string.IsNullOrEmpty(builder.Host)
            ? Left<string, NpgsqlConnectionStringBuilder>("POSTGRES_URL names no host")
            : builder;
    }

    /// <summary>One host keeps its port apart; several stay "h1:p1,h2:p2", as Npgsql reads them.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        var colon = hosts.LastIndexOf(':');
        var single = !hosts.Contains(',', StringComparison.Ordinal) && colon > hosts.LastIndexOf(']');
        if (single && colon > 0)
        {
            builder.Host = hosts[..colon].Trim('[', ']');
            builder["Port"] = hosts[(colon + 1)..];
        }
        else
        {
            builder.Host = hosts;
        }
    }

    /// <summary>The libpq URI parameters that have an Npgsql twin; any other is refused by name.</summary>
    private static string? Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                if (!SslModes.TryGetValue(value, out var mode))
                {
                    return $"POSTGRES_URL: sslmode \"{value}\" is not one of {string.Join(", ", SslModes.Keys)}";
                }

                builder.SslMode = mode;
                return null;
            case "connect_timeout":
                if (!int.TryParse(value, out var seconds) || seconds < 0)
                {
                    return $"POSTGRES_URL: connect_timeout \"{value}\" is not a number of seconds";
                }

                builder.Timeout = seconds;
                return null;
            case "host": builder.Host = value; return null;
            case "port": builder["Port"] = value; return null;
            case "user": builder.Username = value; return null;
            case "password": builder.Password = value; return null;
            case "dbname": builder.Database = value; return null;
            case "application_name": builder.ApplicationName = value; return null;
            case "options": builder.Options = value; return null;
            case "sslrootcert": builder.RootCertificate = value; return null;
            case "sslcert": builder.SslCertificate = value; return null;
            case "sslkey": builder.SslKey = value; return null;
            case "target_session_attrs": builder["Target Session Attributes"] = value; return null;
            default: return $"POSTGRES_URL: unsupported parameter \"{key}\"";
        }
    }

    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    private static string Decode(string part) => Uri.UnescapeDataString(part);

    // The exception text of a keyword string may quote the value; keep only the keyword problem.
    private static string KeywordProblem(Exception e) =>
        e.Message.Contains("Keyword not supported", StringComparison.OrdinalIgnoreCase)
            ? e.Message.Split('\n')[0]
            : e.GetType().Name;
}
