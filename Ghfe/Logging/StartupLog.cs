using Ghfe.Configuration;
using Npgsql;

namespace Ghfe.Logging;

/// <summary>What an operator reads once ghfe is up: where it writes, what it routes, whether it forwards.</summary>
public static class StartupLog
{
    public static void Write(ILogger log, GhfeSettings settings, NpgsqlConnectionStringBuilder connection, RoutingSnapshot routing)
    {
        if (settings.SecretGenerated)
        {
            log.LogWarning("GHAPP_WEBHOOK_SECRET is unset: generated {Secret} for this run (embedded mode only)", settings.Secrets[0]);
        }

        log.LogInformation(
            "ghfe ready: schema {Schema}, NOTIFY channel {Channel}, database {Database}, {Rules} routing rules from {ConfigPath} (watched: edits apply live)",
            settings.Schema, settings.NotifyChannel, PostgresUrl.Describe(connection), routing.Config.Routing.Rules.Count, settings.ConfigPath);
        log.LogInformation("{Forwarding}", routing.Webhook.Forwarding.Describe(settings.Prod));
        log.LogInformation("{Admission}", routing.Webhook.Admission.Describe());
        switch (settings.PagesAccess)
        {
            case PagesAccess.BehindToken:
                log.LogInformation("pages: behind a token (GHFE_PAGES_TOKEN)");
                break;
            case PagesAccess.Public:
                log.LogInformation("pages: public, no token ({Why})", settings.Prod ? "GHFE_PAGES_PUBLIC=true" : "staging, GHFE_PAGES_TOKEN unset");
                break;
            case PagesAccess.Closed:
                log.LogWarning("pages: closed (403): PROD=true and GHFE_PAGES_TOKEN unset; set GHFE_PAGES_TOKEN, or GHFE_PAGES_PUBLIC=true to show them to anyone");
                break;
        }

        log.LogInformation(settings.TraceApiSecret is null
            ? "trace: /trace unserved (TRACE_API_SECRET unset)"
            : "trace: /trace served behind a Bearer token (TRACE_API_SECRET)");
    }
}
