using Carter;
using Ghfe.Configuration;
using Ghfe.Observability;
using Ghfe.RequestBodies;
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
        CommandExecutor executor,
        DeliveryRecorder recorder,
        BodyBudget budget,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var deliveryId = request.Headers[Event.DeliveryHeader].ToString();
        var delivery = (await RawBody.ReadAsync(request, budget, cancellationToken)).Map(body => new WebhookRequest(
            request.Headers[Event.Header], request.Headers[Signature.Header], deliveryId, body));

        var deciding = clock.GetTimestamp();
        var (decision, summary) = Pipeline.Decide(delivery, routing.Current.Webhook);
        GhfeMetrics.PipelineSeconds.Observe(clock.GetElapsedTime(deciding).TotalSeconds);

        var answer = await decision.Match(
            Right: command => executor.ExecuteAsync(command, request, deliveryId, cancellationToken),
            Left: rejection => Task.FromResult(DeliveryAnswer.Refused(rejection)));

        recorder.Record(request, deliveryId, summary, answer, clock.GetElapsedTime(started));
        return answer.ToResult(request.HttpContext.Response);
    }
}
