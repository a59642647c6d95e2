using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace Ghfe.RequestBodies;

/// <summary>Where ghfe listens, and what one request may cost: Kestrel's limits, and the memory budget for bodies not yet verified.</summary>
public static class RequestLimits
{
    /// <summary>Bytes read ahead of the application per connection; a body of a delivery's size waits whole in them (RawBody.SmallBody).</summary>
    internal const int ReadAhead = 64 * 1024;

    private static readonly Gauge BodyBytes = Metrics.CreateGauge(
        "ghfe_body_bytes", "Buffer held by request bodies larger than 64 KiB (read, or answered and not yet complete), within the body budget.");

    private static readonly Gauge WaitingBodyBytes = Metrics.CreateGauge(
        "ghfe_waiting_body_bytes", "Kestrel's read-ahead held by incomplete bodies of at most 64 KiB, waiting to arrive whole (capped: the oldest is cut).");

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            // The Python handler's address; --urls or ASPNETCORE_URLS choose another.
            builder.WebHost.UseUrls("http://0.0.0.0:8080");
        }

        var budget = BodyBudget.Default();
        builder.Services.AddSingleton(budget);
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            BodyBytes.Set(budget.Held);
            WaitingBodyBytes.Set(budget.Waiting.Held);
        });
        // What the socket transport reads ahead of the application per connection (default 1 MiB,
        // in Kestrel's pinned pool): each hostile connection could hold that much, outside any budget.
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = ReadAhead);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RawBody.Limit;
            kestrel.Limits.MaxRequestBufferSize = ReadAhead;
            // A client that trickles headers or a body holds a connection for nothing: cut it off
            // (a body's own deadline, RawBody.Deadline, cuts it at 10 s whatever its rate).
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(5));
            // GitHub sends about fifteen headers in under 2 KiB, a browser about 2 KiB; anything far
            // past that is not for ghfe. Headers still arriving sit in Kestrel's pinned memory
            // outside any tally, so their size bounds what each unfinished connection holds.
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
        });
        return builder;
    }
}
