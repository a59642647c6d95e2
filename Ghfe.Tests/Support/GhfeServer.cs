using System.Net.Http.Headers;
using System.Text;
using Ghfe.Webhook;
using Microsoft.AspNetCore.Builder;

namespace Ghfe.Tests.Support;

/// <summary>A real ghfe (Program.BuildAsync, Kestrel on a free 127.0.0.1 port) and a client for it.</summary>
public sealed class GhfeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GhfeServer(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public Uri Address => Client.BaseAddress!;

    public static async Task<GhfeServer> StartAsync(string postgresUrl, bool prod = false, params (string Name, string Value)[] settings)
    {
        var app = await Program.BuildAsync(Arguments(postgresUrl, prod, settings), CancellationToken.None);
        await app.StartAsync();
        return new GhfeServer(app, new Uri(app.Urls.First()));
    }

    public static string[] Arguments(string postgresUrl, bool prod, params (string Name, string Value)[] settings) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--GHAPP_WEBHOOK_SECRET={Deliveries.Secret}",
        $"--POSTGRES_URL={postgresUrl}",
        $"--PROD={(prod ? "true" : "false")}",
        "--LOGLEVEL=WARNING",
        $"--GHFE_SPOOL_DIR={Path.Combine(Path.GetTempPath(), $"ghfe-spool-{Guid.NewGuid():N}")}",
        .. settings.Select(setting => $"--{setting.Name}={setting.Value}"),
    ];

    /// <summary>POSTs a signed delivery as GitHub does; the answer's status and text.</summary>
    public async Task<(int Status, string Text)> DeliverAsync(string eventName, byte[] body, string? deliveryId = null)
    {
        var delivery = Deliveries.Signed(eventName, body, deliveryId ?? Guid.NewGuid().ToString());
        return await SendAsync(body, (Event.Header, eventName), (Signature.Header, delivery.Signature!), (Event.DeliveryHeader, delivery.DeliveryId!));
    }

    public Task<(int Status, string Text)> SendAsync(byte[] body, params (string Name, string Value)[] headers) =>
        SendAsync(body, expectContinue: false, headers);

    /// <param name="expectContinue">Wait for the server's go-ahead before sending the body, as clients of large uploads do.</param>
    public async Task<(int Status, string Text)> SendAsync(byte[] body, bool expectContinue, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Headers.ExpectContinue = expectContinue;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/test");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
