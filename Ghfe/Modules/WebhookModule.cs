using Carter;
using Ghfe.Configuration;
using Ghfe.Observability;
using Ghfe.RequestBodies;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Modules;

/// <summary>
/// <c>POST /</c>: the effectful edge around the pure <see cref="Pipeline"/>. Read the bytes →
/// decide → match the decision once → execute → record → answer.
/// </summary>
public sealed class WebhookModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) => app.MapPost("/", HandleDelivery);

    private static async Task<IResult> HandleDelivery(
        HttpRequest request,
        LiveRouting routing,
        DatabaseState database,
        CommandExecutor executor,
        DeliveryRecorder recorder,
        BodyBudget budget,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var deliveryId = request.Headers[Event.DeliveryHeader].ToString();
        var delivery = (await RawBody.ReadAsync(request, budget, cancellationToken)).Map(body => new WebhookRequest(
            request.Headers[Event.Header], request.Headers[Signature.Header], deliveryId, body, request.Headers[Headers.AppId]));

        var deciding = clock.GetTimestamp();
        var settings = routing.Current.Webhook;
        if (settings.Generation != database.Generation)
        {
            settings = settings with { Generation = database.Generation };
        }

        var (decision, summary, row) = Pipeline.Decide(delivery, settings);
        GhfeMetrics.PipelineSeconds.Observe(clock.GetElapsedTime(deciding).TotalSeconds);

        var answer = await decision.Match(
            Right: command => executor.ExecuteAsync(command, request, deliveryId, cancellationToken),
            Left: rejection => Task.FromResult(DeliveryAnswer.Refused(rejection)));

        if (row is not null)
        {
            await executor.RecordAsync(row, answer, deliveryId, cancellationToken);
        }

        recorder.Record(request, deliveryId, summary, answer, clock.GetElapsedTime(started));
        return answer.ToResult(request.HttpContext.Response);
    }
}
