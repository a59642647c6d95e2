using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Ghfe.Tests.Support;

/// <summary>
/// A stand-in for staging where a real ghfe cannot show the point: it counts what reaches it,
/// and can be slow on purpose.
/// </summary>
public sealed class StubStaging : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private StubStaging(WebApplication app) => _app = app;

    public int Received => Volatile.Read(ref _received);

    public Uri Address => new(_app.Urls.First());

    public static async Task<StubStaging> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new StubStaging(app);
        app.MapPost("/", async (HttpContext context) =>
        {
            Interlocked.Increment(ref stub._received);
            await Task.Delay(delay, context.RequestAborted);
            return Results.Text("stub staging");
        });
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(quickly.Token);
        await _app.DisposeAsync();
    }
}
