using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ghfe.Hosting;

/// <summary>Where ghfe listens, and Kestrel's limits on what a request may cost before ghfe sees it.</summary>
public static class RequestLimits
{
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            // The Python handler's address; --urls or ASPNETCORE_URLS choose another.
            builder.WebHost.UseUrls("http://0.0.0.0:8080");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RawBody.Limit;
            // A client that trickles headers or a body holds a connection for nothing: cut it off.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(5));
            // GitHub sends about fifteen headers; anything far past that is not GitHub.
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        return builder;
    }
}
