using Ghfe.Hosting;
using Ghfe.Observability;

namespace Ghfe.Configuration;

/// <summary>
/// Reloads the routing file when its content changes (a ConfigMap update swaps symlinks, which
/// file watchers miss; a content fingerprint does not). An invalid edit keeps the last good
/// rules, and says why.
/// </summary>
public sealed class RoutingReloader(LiveRouting routing, GhfeSettings settings, ILogger<RoutingReloader> log) : BackgroundLoop
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override ILogger Log => log;

    protected override async Task LoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var lastRefused = string.Empty;
        while (await timer.TickAsync(stoppingToken))
        {
            string fingerprint;
            try
            {
                fingerprint = RoutingFile.Fingerprint(await File.ReadAllBytesAsync(settings.ConfigPath, stoppingToken));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Mid-swap, or gone for a moment: the rules in force stay.
                continue;
            }

            if (fingerprint == routing.Current.Fingerprint || fingerprint == lastRefused)
            {
                continue;
            }

            RoutingFile.Read(settings.ConfigPath, settings.Prod).Match(
                Right: read =>
                {
                    routing.Replace(read.Config, read.Fingerprint);
                    lastRefused = string.Empty;
                    GhfeMetrics.RoutingReloads.WithLabels("applied").Inc();
                    log.LogInformation("routing reloaded from {ConfigPath}: {Rules} rules", settings.ConfigPath, read.Config.Routing.Rules.Count);
                },
                Left: problem =>
                {
                    lastRefused = fingerprint;
                    GhfeMetrics.RoutingReloads.WithLabels("refused").Inc();
                    log.LogWarning("routing file changed but is invalid, keeping the last good rules: {Problem}", problem);
                });
        }
    }
}
