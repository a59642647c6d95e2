using System.Diagnostics;
using System.Text;
using Carter;
using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Observability;
using Ghfe.Pages;
using Ghfe.Proxy;
using Ghfe.Store;
using Ghfe.Webhook;
using LanguageExt;
using Npgsql;
using Prometheus;

namespace Ghfe.Modules;

/// <summary>
/// <c>POST /</c>: the effectful edge around the pure pipeline. Reads the raw bytes, verifies
/// them (<see cref="Pipeline.Verify"/>), forwards a staging repository's delivery or routes it
/// (<see cref="Pipeline.Route"/>), makes the command durable, answers, logs one line.
/// </summary>
public sealed class WebhookModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) => app.MapPost("/", HandleDelivery);

    private static async Task<IResult> HandleDelivery(
        HttpRequest request,
        LiveRouting routing,
        IHttpClientFactory clients,
        DurableStore store,
        DeliveryLog deliveries,
        BodyBudget budget,
        ILogger<WebhookModule> log,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (_, webhook, forwarding, _) = routing.Current;
        var deliveryId = request.Headers[Event.DeliveryHeader].ToString();
        var eventName = request.Headers[Event.Header].ToString();

        var body = await RawBody.ReadAsync(request, budget, cancellationToken);
        var deciding = Stopwatch.GetTimestamp();
        var verified = body
            .Map(bytes => new WebhookRequest(eventName, request.Headers[Signature.Header].ToString(), deliveryId, bytes))
            .Bind(delivery => Pipeline.Verify(delivery, webhook).Map(_ => delivery.Body));

        // Only a verified delivery may leave this process; staging's repositories go there whatever their action.
        var staging = verified.MatchUnsafe(Right: forwarding.TargetFor, Left: _ => null);
        var routed = staging is null
            ? verified.MatchUnsafe(Right: bytes => Pipeline.RouteAndSummarise(bytes, webhook.Routing), Left: rejection => (rejection, DeliverySummary.Empty))
            : ((Either<Rejection, JobCommand> Decision, DeliverySummary Summary)?)null;
        var decision = routed?.Decision;
        GhfeMetrics.PipelineSeconds.Observe(Stopwatch.GetElapsedTime(deciding).TotalSeconds);

        var answer = decision is { } decided
            ? await decided.MatchAsync(
                RightAsync: command => Execute(store, command, deliveryId, log, cancellationToken),
                Left: Refused)
            : await Forward(clients, staging!, request, verified.IfLeft(ReadOnlyMemory<byte>.Empty), cancellationToken);
        DeliveryMetrics.Count(eventName, answer.Action, answer.Outcome);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        // Nothing from an unverified body goes into the log: only its id and where it came from.
        var summary = routed?.Summary ?? verified.Match(Right: DeliverySummary.Read, Left: _ => DeliverySummary.Empty);
        var action = answer.Action ?? summary.Action;
        var job = answer.Job ?? summary.JobId;
        deliveries.Record(new DeliveryEntry(
            Clip(deliveryId), DateTimeOffset.UtcNow, Clip(eventName), action, job,
            summary.OwnerId, summary.OwnerLogin, summary.Repository, summary.Labels, answer.Outcome, answer.Status, elapsed,
            request.HttpContext.Connection.RemoteIpAddress?.ToString()));

        log.Log(
            answer.Status >= 400 || answer.Why is not null ? LogLevel.Warning : LogLevel.Information,
            "delivery={Delivery} event={Event} action={Action} job={Job} outcome={Outcome} status={Status} elapsed_ms={Elapsed:F1} why={Why}",
            Or(deliveryId),
            Or(eventName),
            Or(action),
            job?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            answer.Outcome,
            answer.Status,
            elapsed,
            answer.Why ?? (answer.Status >= 400 ? answer.Text : "-"));

        return Results.Text(answer.Text, "text/plain", Encoding.UTF8, answer.Status);
    }

    private static async Task<Answer> Execute(DurableStore store, JobCommand command, string deliveryId, ILogger log, CancellationToken cancellationToken)
    {
        var id = command.Job.JobId;
        try
        {
            Durability durability;
            using (GhfeMetrics.DatabaseSeconds.NewTimer())
            {
                durability = await store.ExecuteAsync(command, deliveryId, cancellationToken);
            }

            return durability switch
            {
                Durability.Stored stored => new Answer(200, stored.Outcome.TextFor(command), stored.Outcome.Kind, command.Action, id),
                Durability.Spooled spooled => new Answer(202, $"Job {id} accepted (spooled).", "spooled", command.Action, id, spooled.Why),
                Durability.Unavailable unavailable => new Answer(
                    503, $"Job {id} not stored: {unavailable.Why}. Redeliver it from GitHub.", "unavailable", command.Action, id, unavailable.Why),
                _ => throw new InvalidOperationException(durability.ToString()),
            };
        }
        catch (NpgsqlException e)
        {
            // Not transient: a broken deployment (permissions, schema, credentials). Loud, and never spooled.
            var code = (e as PostgresException)?.SqlState ?? "no SQLSTATE";
            log.LogError(e, "delivery={Delivery} job={Job} not stored: database error {SqlState}", deliveryId, id, code);
            return new Answer(500, $"Job {id} not stored: database error ({code}). Redeliver it from GitHub once fixed.", "database_error", command.Action, id, code);
        }
    }

    private static async Task<Answer> Forward(IHttpClientFactory clients, Uri staging, HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var (status, text, outcome) = await StagingForwarder.ForwardAsync(clients, staging, request, body, cancellationToken);
        return new Answer(status, text, outcome, null, null);
    }

    private static Answer Refused(Rejection rejection) =>
        new(rejection.Status, rejection.Text, rejection.Kind, ActionOf(rejection), JobOf(rejection));

    private static string? ActionOf(Rejection rejection) => rejection is Rejection.IgnoredAction ignored ? ignored.Action : null;

    private static long? JobOf(Rejection rejection) => rejection is Rejection.NoMatchingRule miss ? miss.JobId : null;

    /// <summary>Headers are anyone's to fill: keep what goes into the table short.</summary>
    private static string? Clip(string value)
    {
        var clean = value.Replace("\0", string.Empty, StringComparison.Ordinal);
        return clean.Length == 0 ? null : clean.Length > 100 ? clean[..100] : clean;
    }

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    /// <param name="Why">For an answer that did not store the job in PostgreSQL: the reason, for the log.</param>
    private sealed record Answer(int Status, string Text, string Outcome, string? Action, long? Job, string? Why = null);
}
