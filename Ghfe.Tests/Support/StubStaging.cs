using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ghfe.Tests.Support;

/// <summary>
/// A stand-in for staging where a real ghfe cannot show the point: it counts every request that
/// reaches it (any method, any path), and can be slow or hostile on purpose.
/// </summary>
public sealed class StubStaging : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private StubStaging(WebApplication app) => _app = app;

    public int Received => Volatile.Read(ref _received);

    public Uri Address => new(_app.Urls.First());

    /// <summary>A staging that answers 200 <c>stub staging</c> after <paramref name="delay"/>.</summary>
    public static Task<StubStaging> StartAsync(TimeSpan delay) => StartAsync(async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("stub staging", context.RequestAborted);
    });

    /// <summary>A staging that answers every request with <paramref name="answer"/>, which is given the request's number (1 for the first).</summary>
    public static async Task<StubStaging> StartAsync(Func<HttpContext, int, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubStaging(app);
        app.Run(context => answer(context, Interlocked.Increment(ref stub._received)));
        await app.StartAsync();
        return stub;
    }

    public static Task<StubStaging> StartAsync(Func<HttpContext, Task> answer) => StartAsync((context, _) => answer(context));

    public async ValueTask DisposeAsync()
    {
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(quickly.Token);
        await _app.DisposeAsync();
    }
}
