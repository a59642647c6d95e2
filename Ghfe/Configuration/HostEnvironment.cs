
namespace Ghfe.Configuration;

/// <summary>
/// The host's environment name follows PROD ("Production" or "Staging"), so that the start-up
/// log's "Hosting environment" names the instance it is; ASPNETCORE_ENVIRONMENT (or
/// --environment) still wins when it is set. The host fixes its environment when it is built,
/// so this reads PROD as the builder will, from the environment and the command line, first.
/// ghfe is configured by its environment and arguments, so the host does not watch for
/// appsettings files (one found is still read at start): its watcher covers the working
/// directory and everything below, where the embedded cluster writes all the time (a thread
/// reading those events costs CPU on every delivery). The switch goes first, where no
/// argument of the caller's can take it for its value.
/// </summary>
public static class HostEnvironment
{
    public static WebApplicationOptions Options(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var stated = configuration[HostDefaults.EnvironmentKey]
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var prod = GhfeSettings.ProdFlag(configuration["PROD"]).IfLeft(false); // a bad PROD stops start-up later, naming it
        return new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            EnvironmentName = string.IsNullOrEmpty(stated) ? (prod ? Environments.Production : Environments.Staging) : null,
        };
    }
}
