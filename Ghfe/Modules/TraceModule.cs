using System.Security.Cryptography;
using System.Text;
using Carter;
using Ghfe.Configuration;
using Ghfe.Pages;
using Ghfe.Store;
using LanguageExt;
using Npgsql;

namespace Ghfe.Modules;

/// <summary>
/// <c>/trace</c>, the API the control plane's tools call: an entity's events (by its id, an
/// installation's or a job's) and an event's payload, as JSON, behind <c>TRACE_API_SECRET</c>.
/// Unset, the routes are not there at all. Reads go through the pages' pool, in the pages' turn.
/// </summary>
public sealed class TraceModule : ICarterModule
{
    private const int RetrySeconds = 5;

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<GhfeSettings>().TraceApiSecret is not { } secret)
        {
            return;
        }

        var trace = app.MapGroup("/trace");
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        trace.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!Authorized(http.Request, expected))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"ghfe trace\"";
                return Results.Text("Unauthorized: /trace needs Authorization: Bearer <TRACE_API_SECRET>.", statusCode: StatusCodes.Status401Unauthorized);
            }

            using var turn = await http.RequestServices.GetRequiredService<PageLimiter>().EnterAsync(http.RequestAborted);
            return turn is null ? Unavailable("Too many requests at once: try again in a few seconds.") : await next(context);
        });
        trace.MapGet("/entity/{id}", Entity);
        trace.MapGet("/installation/{id}", Installation);
        trace.MapGet("/job/{id}", Job);
        trace.MapGet("/payload/{id}", Payload);
    }

    /// <summary>
    /// The Bearer token against the secret, both hashed first: equal lengths for
    /// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the secret's bytes nor its
    /// length show in how long a wrong token takes.
    /// </summary>
    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static Task<IResult> Entity(string id, PagesDataSource store, DatabaseState database, CancellationToken cancellationToken) =>
        ServeAsync(TraceId.Parse(id, "entity"), async entityId => Events(await TraceQueries.EventsAsync(store.Source, database.Generation, entityId, cancellationToken)));

    private static Task<IResult> Installation(string id, PagesDataSource store, DatabaseState database, CancellationToken cancellationToken) =>
        ServeAsync(TraceId.Parse(id, "installation"), async installationId =>
            await TraceQueries.InstallationEntityAsync(store.Source, database.Generation, installationId, cancellationToken) is { } entityId
                ? Events(await TraceQueries.EventsAsync(store.Source, database.Generation, entityId, cancellationToken))
                : EntityNotFound());

    private static Task<IResult> Job(string id, PagesDataSource store, DatabaseState database, CancellationToken cancellationToken) =>
        ServeAsync(TraceId.Parse(id, "job"), async jobId =>
            await TraceQueries.JobEntityAsync(store.Source, database.Generation, jobId, cancellationToken) is { } entityId
                ? Events(await TraceQueries.EventsAsync(store.Source, database.Generation, entityId, cancellationToken))
                : EntityNotFound());

    private static Task<IResult> Payload(string id, PagesDataSource store, DatabaseState database, CancellationToken cancellationToken) =>
        ServeAsync(TraceId.Parse(id, "payload"), async eventId =>
            await TraceQueries.PayloadAsync(store.Source, database.Generation, eventId, cancellationToken) is { } payload
                ? Json($"{{\"payload\":{payload}}}")
                : Results.Text("Payload not found", statusCode: StatusCodes.Status404NotFound));

    /// <summary>A bad id is a 400; a database that does not answer, or not in time, a 503.</summary>
    private static Task<IResult> ServeAsync(Either<string, long> id, Func<long, Task<IResult>> answer) =>
        id.MatchAsync(
            RightAsync: async parsed =>
            {
                try
                {
                    return await answer(parsed);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    return Unavailable("Database unavailable: the trace cannot be read right now.");
                }
            },
            Left: problem => Results.Text(problem, statusCode: StatusCodes.Status400BadRequest));

    private static IResult Events(IReadOnlyList<TraceEvent> events) => Json(TraceEvent.Serialize(events));

    private static IResult Json(string json) => Results.Text(json, "application/json; charset=utf-8");

    private static IResult EntityNotFound() => Results.Text("Entity not found", statusCode: StatusCodes.Status404NotFound);

    private static IResult Unavailable(string reason) => new Unavailable503(reason);

    /// <summary>A 503 with Retry-After: about one statement timeout, by when a turn is likely free.</summary>
    private sealed record Unavailable503(string Reason) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text(Reason, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
        }
    }
}
