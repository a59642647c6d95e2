using System.Security.Cryptography;
using Carter;
using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Modules;
using Ghfe.Observability;
using Ghfe.Pages;
using Ghfe.Proxy;
using Ghfe.Store;
using Ghfe.Webhook;
using Npgsql;
using Prometheus;

namespace Ghfe;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (Cli.Handles(args))
        {
            var (exitCode, output) = Cli.Run(args, Environment.GetEnvironmentVariable);
            await (exitCode == 0 ? Console.Out : Console.Error).WriteLineAsync(output);
            return exitCode;
        }

        WebApplication app;
        try
        {
            app = await BuildAsync(args, CancellationToken.None);
        }
        catch (StartupException e)
        {
            // One line, naming the problem: what an operator reads in a crash-looping pod.
            await Console.Error.WriteLineAsync($"ghfe: {e.Message}");
            return 2;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync();
            }
            catch (IOException e)
            {
                // Kestrel could not listen (the port is taken, or not ours): one line, as for a bad setting.
                await Console.Error.WriteLineAsync($"ghfe: cannot listen: {Messages(e)}");
                return 2;
            }
        }

        return 0;
    }

    /// <summary>An exception's message and those of its causes that add something, on one line.</summary>
    private static string Messages(Exception e)
    {
        var text = e.Message.TrimEnd('.');
        for (var cause = e.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (!text.Contains(cause.Message.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            {
                text += ": " + cause.Message.TrimEnd('.');
            }
        }

        return text.ReplaceLineEndings(" ");
    }

    /// <summary>The composition root: settings, routing file, database, modules. Throws <see cref="StartupException"/>.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = Or(GhfeSettings.Read(name => builder.Configuration[name]));
        var (routing, fingerprint) = Or(RoutingFile.Read(settings.ConfigPath, settings.Prod));
        Logs.Configure(builder.Logging, settings.LogLevel, settings.JsonLogs);

        var configured = settings.PostgresUrl is null ? null : Or(PostgresUrl.Parse(settings.PostgresUrl));

        // POSTGRES_URL unset: a private cluster under the working directory, for trying ghfe out.
        var embedded = configured is null ? await StartEmbeddedAsync(cancellationToken) : null;
        try
        {
            var secrets = settings.Secrets.Count > 0 ? settings.Secrets : [GeneratedSecret()];
            var connection = ConnectionTuning.Apply(configured ?? new NpgsqlConnectionStringBuilder(embedded!.ConnectionString), settings.Schema);
            var dataSource = NpgsqlDataSource.Create(connection);

            builder.Services.AddSingleton(settings);
            var live = new LiveRouting(settings, [.. secrets.Select(Signature.SecretBytes)], routing, fingerprint);
            builder.Services.AddSingleton(live);
            builder.Services.AddHostedService<RoutingReloader>();
            builder.Services.AddSingleton(dataSource);
            var state = new DatabaseState();
            builder.Services.AddSingleton(state);
            var journal = new Journal(settings.SpoolDirectory);
            builder.Services.AddSingleton(journal);
            Metrics.DefaultRegistry.AddBeforeCollectCallback(() => GhfeMetrics.JournalBacklog.Set(journal.Backlog));
            builder.Services.AddSingleton(_ => new EnqueueBatcher(dataSource, settings.NotifyChannel));
            builder.Services.AddSingleton<DurableStore>();
            builder.Services.AddHostedService<JournalReplayer>();
            builder.Services.AddSingleton<HistoryRoller>();
            builder.Services.AddHostedService(services => services.GetRequiredService<HistoryRoller>());
            builder.Services.AddSingleton(services => new DeliveryLog(
                dataSource, state, services.GetRequiredService<ILogger<DeliveryLog>>(), TimeSpan.FromDays(settings.DeliveryRetentionDays)));
            builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryLog>());
            builder.Services.AddStagingClient();
            builder.Services.AddSingleton(LoadPages());
            builder.Services.AddSingleton(TimeProvider.System);
            if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            {
                // The Python handler's address; --urls or ASPNETCORE_URLS choose another.
                builder.WebHost.UseUrls("http://0.0.0.0:8080");
            }

            builder.AddRequestLimits();
            builder.Services.AddCarter(
                new DependencyContextAssemblyCatalog([typeof(Program).Assembly]),
                carter => carter.WithModule<WebhookModule>().WithModule<HealthModule>().WithModule<PagesModule>().WithModule<RoutingModule>());

            var app = builder.Build();
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ghfe");
            if (embedded is not null)
            {
                app.Lifetime.ApplicationStopped.Register(() => embedded.StopAsync().GetAwaiter().GetResult());
                log.LogInformation(
                    "embedded PostgreSQL: {ConnectionString} (psql -h 127.0.0.1 -p {Port} -U postgres {Database})",
                    embedded.ConnectionString, embedded.Port, EmbeddedPostgres.Database);
                if (settings.Secrets.Count == 0)
                {
                    log.LogWarning("GHAPP_WEBHOOK_SECRET is unset: generated {Secret} for this run (embedded mode only)", secrets[0]);
                }
            }

            if (await EnsureSchemaAsync(dataSource, settings.Schema, connection, log, cancellationToken))
            {
                state.MarkSchemaReady();
            }

            log.LogInformation(
                "ghfe ready: schema {Schema}, NOTIFY channel {Channel}, database {Database}, {Rules} routing rules from {ConfigPath}",
                settings.Schema, settings.NotifyChannel, PostgresUrl.Describe(connection), routing.Routing.Rules.Count, settings.ConfigPath);

            log.LogInformation("{Forwarding}", live.Current.Forwarding.Describe(settings.Prod));

            app.UseExceptionHandler(failed => failed.Run(context =>
            {
                // Never a stack trace to the caller; the log has it.
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync("Internal error", context.RequestAborted);
            }));
            app.Use(async (context, next) =>
            {
                // Answers are text, HTML or JSON exactly as labelled: never let a browser guess.
                context.Response.Headers.XContentTypeOptions = "nosniff";

                // Every log line written while a delivery is handled carries its id.
                var delivery = context.Request.Headers[Event.DeliveryHeader].ToString();
                using (delivery.Length > 0 ? log.BeginScope(new Dictionary<string, object> { ["DeliveryId"] = delivery }) : null)
                {
                    await next(context);
                }
            });
            app.MapCarter();
            app.MapMetrics();
            app.Lifetime.ApplicationStarted.Register(() => _ = WarmUpPagesAsync(app, log));
            return app;
        }
        catch
        {
            if (embedded is not null)
            {
                await embedded.StopAsync();
            }

            throw;
        }
    }

    private static async Task WarmUpPagesAsync(WebApplication app, ILogger log)
    {
        var started = TimeProvider.System.GetTimestamp();
        IReadOnlyDictionary<string, int> answers;
        try
        {
            answers = await PageWarmup.RunAsync(app, log, app.Lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return;   // stopped while warming up
        }

        log.LogInformation(
            "pages warmed up in {Milliseconds:F0} ms ({Answers})",
            TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, string.Join(", ", answers.Select(a => $"{a.Key} {a.Value}")));
    }

    private static async Task<EmbeddedPostgres> StartEmbeddedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await EmbeddedPostgres.StartAsync(Path.Combine(".ghfe", "postgres"), durable: true, deleteOnStop: false, cancellationToken);
        }
        catch (EmbeddedPostgresException e)
        {
            throw new StartupException($"POSTGRES_URL is unset and the embedded PostgreSQL did not start: {e.Message}");
        }
    }

    private static PageRenderer LoadPages()
    {
        try
        {
            return PageRenderer.Load(PageRenderer.ShippedDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            throw new StartupException(e.Message);
        }
    }

    /// <summary>
    /// False when the database is merely unreachable: ghfe starts anyway, spools, and makes the
    /// schema when it answers. A database that answers with an error (credentials, permissions)
    /// stops start-up.
    /// </summary>
    private static async Task<bool> EnsureSchemaAsync(NpgsqlDataSource dataSource, string schema, NpgsqlConnectionStringBuilder connection, ILogger log, CancellationToken cancellationToken)
    {
        try
        {
            await Schema.EnsureAsync(dataSource, schema, cancellationToken);
            return true;
        }
        catch (Exception e) when (Transient.Is(e))
        {
            log.LogWarning("PostgreSQL at {Database} does not answer ({Problem}): starting anyway, spooling deliveries until it does", PostgresUrl.Describe(connection), e.Message);
            return false;
        }
        catch (Exception e) when (e is NpgsqlException)
        {
            throw new StartupException($"cannot prepare schema {schema} in PostgreSQL at {PostgresUrl.Describe(connection)}: {e.Message}");
        }
    }

    private static string GeneratedSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static T Or<T>(LanguageExt.Either<string, T> setting) =>
        setting.Match(Right: value => value, Left: problem => throw new StartupException(problem));
}
