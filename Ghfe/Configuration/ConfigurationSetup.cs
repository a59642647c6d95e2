using System.Security.Cryptography;
using Ghfe.GitHub;
using Ghfe.Hosting;
using Ghfe.Webhook;

namespace Ghfe.Configuration;

/// <summary>The environment (the GitHub Apps' settings among it) and the routing file, read once at start-up and registered; the routing file is then watched.</summary>
public static class ConfigurationSetup
{
    /// <summary>Throws <see cref="StartupException"/> naming a bad setting or routing file.</summary>
    public static GhfeSettings AddGhfeConfiguration(this WebApplicationBuilder builder)
    {
        var read = StartupException.OrStop(GhfeSettings.Read(name => builder.Configuration[name]));
        var (routing, fingerprint) = StartupException.OrStop(RoutingFile.Read(read.ConfigPath, read.Prod));

        // Embedded mode only (GhfeSettings.Read insists on a secret with POSTGRES_URL): a secret for this run, printed at start.
        var settings = read.Secrets.Count > 0 ? read : read with { Secrets = [Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))], SecretGenerated = true };
        builder.Services.AddSingleton(settings);
        var github = StartupException.OrStop(GitHubSettings.Read(name => builder.Configuration[name]));
        builder.Services.AddSingleton(github);
        builder.Services.AddSingleton(new AppIds(github.Organization.Id, github.Personal.Id));
        builder.Services.AddSingleton(new LiveRouting(settings, [.. settings.Secrets.Select(Signature.SecretBytes)], routing, fingerprint));
        builder.Services.AddHostedService<RoutingReloader>();
        return settings;
    }
}
