using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ghfe.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers every request (any method, any path) as its
/// script says, and keeps what reached it: a peer that answers as an attacker would, or the
/// host a redirect names.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First() + "/");

    /// <summary>Every request that reached it, as <c>METHOD /path?query</c>, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public int Received => _requests.Count;

    /// <summary>Answers each request with <paramref name="answer"/>, which is given the request's number (1 for the first).</summary>
    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, int, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedServer(app);
        var count = 0;
        app.Run(context =>
        {
            server._requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            return answer(context, Interlocked.Increment(ref count));
        });
        await app.StartAsync();
        return server;
    }

    public static Task<ScriptedServer> StartAsync(Func<HttpContext, Task> answer) => StartAsync((context, _) => answer(context));

    /// <summary>Answers 200 <c>ok</c> to anything: a host that must hear nothing.</summary>
    public static Task<ScriptedServer> StartListeningAsync() => StartAsync(context => context.Response.WriteAsync("ok"));

    public async ValueTask DisposeAsync()
    {
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(quickly.Token);
        await _app.DisposeAsync();
    }
}
