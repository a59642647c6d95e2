using Ghfe.Configuration;

namespace Ghfe.Modules;

/// <summary>
/// Serves each page once, in process, as ghfe starts: the first operator to open a page after a
/// deploy would otherwise wait for the JIT to compile the queries, templates and JSON writer
/// (about 100–200 ms more than a warm page).
/// </summary>
public static class PageWarmup
{
    public static readonly string[] Paths = ["/usage", "/usage.json", "/history", "/history.json"];

    /// <summary>Once ghfe has started, warms the pages up in the background and logs how long it took.</summary>
    public static void WarmUpPagesOnStart(this WebApplication app, ILogger log) =>
        app.Lifetime.ApplicationStarted.Register(() => _ = WarmUpAsync(app, log));

    /// <summary>How each page answered (status code); a page that threw is logged and left out.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(WebApplication app, ILogger log, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var endpoints = new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources);
        var token = services.GetRequiredService<GhfeSettings>().PagesToken;
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in Paths)
        {
            var endpoint = endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e => e.RoutePattern.RawText == path && IsGet(e));
            if (endpoint?.RequestDelegate is null)
            {
                continue;
            }

            await using var scope = services.CreateAsyncScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            if (token is not null)
            {
                context.Request.Headers.Authorization = $"Bearer {token}";
            }

            context.Response.Body = Stream.Null;
            try
            {
                await endpoint.RequestDelegate(context);
                answers[path] = context.Response.StatusCode;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "warming {Path} up failed; its first request will be slower", path);
            }
        }

        return answers;
    }

    private static bool IsGet(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) != false;

    private static async Task WarmUpAsync(WebApplication app, ILogger log)
    {
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var started = clock.GetTimestamp();
        IReadOnlyDictionary<string, int> answers;
        try
        {
            answers = await RunAsync(app, log, app.Lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return;   // stopped while warming up
        }

        log.LogInformation(
            "pages warmed up in {Milliseconds:F0} ms ({Answers})",
            clock.GetElapsedTime(started).TotalMilliseconds, string.Join(", ", answers.Select(a => $"{a.Key} {a.Value}")));
    }
}
