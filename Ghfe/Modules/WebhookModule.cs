using System.Diagnostics;
using System.Text;
using Carter;
using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Observability;
using Ghfe.Proxy;
using Ghfe.Store;
using Ghfe.Webhook;
using LanguageExt;
using Npgsql;
using Prometheus;

namespace Ghfe.Modules;

/// <summary>
/// <c>POST /</c>: the effectful edge around <see cref="Pipeline.Decide"/>. Reads the raw
/// bytes, lets the pure pipeline decide, executes the command, answers, logs one line.
/// </summary>
public sealed class WebhookModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) => app.MapPost("/", HandleDelivery);

    private static async Task<IResult> HandleDelivery(
        HttpRequest request,
        LiveRouting routing,
        GhfeSettings settings,
        IHttpClientFactory clients,
        NpgsqlDataSource dataSource,
        ILogger<WebhookModule> log,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (_, webhook, forwarding, _) = routing.Current;
        var deliveryId = request.Headers[Event.DeliveryHeader].ToString();
        var eventName = request.Headers[Event.Header].ToString();

        var body = await RawBody.ReadAsync(request, cancellationToken);
        var deciding = Stopwatch.GetTimestamp();
        var verified = body
            .Map(bytes => new WebhookRequest(eventName, request.Headers[Signature.Header].ToString(), deliveryId, bytes))
            .Bind(delivery => Pipeline.Verify(delivery, webhook).Map(_ => delivery.Body));

        // Only a verified delivery may leave this process; staging's repositories go there whatever their action.
        var staging = verified.MatchUnsafe(Right: forwarding.TargetFor, Left: _ => null);
        var decision = staging is null ? verified.Bind(bytes => Pipeline.Route(bytes, webhook.Routing)) : (Either<Rejection, JobCommand>?)null;
        GhfeMetrics.PipelineSeconds.Observe(Stopwatch.GetElapsedTime(deciding).TotalSeconds);

        var answer = decision is { } decided
            ? await decided.MatchAsync(
                RightAsync: command => Execute(dataSource, settings.NotifyChannel, command, cancellationToken),
                Left: Refused)
            : await Forward(clients, staging!, request, body.Match(Right: bytes => bytes, Left: _ => ReadOnlyMemory<byte>.Empty), cancellationToken);
        DeliveryMetrics.Count(eventName, answer.Action, answer.Outcome);

        log.Log(
            answer.Status >= 400 ? LogLevel.Warning : LogLevel.Information,
            "delivery={Delivery} event={Event} action={Action} job={Job} outcome={Outcome} status={Status} elapsed_ms={Elapsed:F1}",
            Or(deliveryId),
            Or(eventName),
            Or(answer.Action),
            answer.Job?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            answer.Outcome,
            answer.Status,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        return Results.Text(answer.Text, "text/plain", Encoding.UTF8, answer.Status);
    }

    private static async Task<Answer> Execute(NpgsqlDataSource dataSource, string channel, JobCommand command, CancellationToken cancellationToken)
    {
        try
        {
            JobOutcome outcome;
            using (GhfeMetrics.DatabaseSeconds.NewTimer())
            {
                outcome = await JobStore.ExecuteAsync(dataSource, channel, command, cancellationToken);
            }

            return new Answer(200, outcome.TextFor(command), outcome.Kind, command.Action, command.Job.JobId);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // GitHub does not redeliver on its own: say so, so that someone can.
            return new Answer(
                503,
                $"Job {command.Job.JobId} not stored: database unavailable ({e.GetType().Name}). Redeliver it from GitHub.",
                "database_unavailable",
                command.Action,
                command.Job.JobId);
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

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    private sealed record Answer(int Status, string Text, string Outcome, string? Action, long? Job);
}
