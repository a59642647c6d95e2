using Ghfe.Logging;
using Ghfe.Webhook;

namespace Ghfe.Modules;

/// <summary>What wraps every request: no stack trace to a caller, no content sniffing, the delivery id on every JSON log line.</summary>
public static class RequestScope
{
    /// <param name="scopesLogged">Whether log lines carry scopes (JSON logs do; plain text leaves them out, see <see cref="Logs"/>).</param>
    public static WebApplication UseGhfeRequestScope(this WebApplication app, ILogger log, bool scopesLogged)
    {
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

            // Every log line written while a delivery is handled carries its id — where scopes are
            // written at all: a scope nobody prints still costs an allocation and an AsyncLocal write.
            var delivery = scopesLogged ? context.Request.Headers[Event.DeliveryHeader].ToString() : string.Empty;
            using (delivery.Length > 0 ? log.BeginScope(new DeliveryScope(delivery)) : null)
            {
                await next(context);
            }
        });
        return app;
    }
}
