using Ghfe.Configuration;

namespace Ghfe.Hosting;

/// <summary>
/// The host's environment name follows PROD ("Production" or "Staging"), so that the start-up
/// log's "Hosting environment" names the instance it is; ASPNETCORE_ENVIRONMENT (or
/// --environment) still wins when it is set.
/// </summary>
public static class HostEnvironment
{
    public static void Follow(WebApplicationBuilder builder, GhfeSettings settings)
    {
        if (string.IsNullOrEmpty(builder.Configuration[HostDefaults.EnvironmentKey])
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")))
        {
            builder.Environment.EnvironmentName = settings.Prod ? Environments.Production : Environments.Staging;
        }
    }
}
