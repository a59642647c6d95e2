using Carter;
using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Logging;
using Ghfe.Modules;
using Ghfe.RequestBodies;
using Ghfe.Store;
using Prometheus;

namespace Ghfe;

public static class Program
{
    public static async Task<int> Main(string[] args) =>
        Cli.Handles(args) ? await Cli.RunAsync(args) : await Serving.RunAsync(() => BuildAsync(args, CancellationToken.None));

    /// <summary>The composition root. Throws <see cref="StartupException"/> with the one line that names a bad setting.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(HostEnvironment.Options(args));
        var settings = builder.AddGhfeConfiguration();
        Logs.Configure(builder.Logging, settings.LogLevel, settings.JsonLogs);

        // POSTGRES_URL, or an embedded cluster for trying ghfe out; a failed start must not leave it running.
        var database = await Database.OpenAsync(settings, builder.Services, cancellationToken);
        try
        {
            builder.Services.AddStore(settings, database.DataSource, database.PagesDataSource);
            builder.Services.AddHttpEdge();
            builder.Services.AddSingleton(TimeProvider.System);
            builder.AddRequestLimits();

            var app = builder.Build();
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ghfe");
            database.Attach(app, log);
            await app.PrepareSchemaAsync(database.Connection, log, cancellationToken);
            StartupLog.Write(log, settings, database.Connection, app.Services.GetRequiredService<LiveRouting>().Current);

            app.UseGhfeRequestScope(log, scopesLogged: settings.JsonLogs);
            app.MapCarter();
            app.MapMetrics();
            return app;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}
