using Ghfe.Configuration;
using Ghfe.Observability;
using Ghfe.Proxy;
using Ghfe.Store;
using Ghfe.Webhook;
using Npgsql;
using Prometheus;

namespace Ghfe.Modules;

/// <summary>Carries out a delivery's command: a job command against the store, the delivery handed to staging, a pong, or an installation event logged.</summary>
public sealed class CommandExecutor(DurableStore store, EnqueueBatcher batcher, GhfeSettings settings, IHttpClientFactory clients, ILogger<CommandExecutor> log)
{
    /// <summary>
    /// The <c>installation_events</c> row of a delivery that stored no job (ignored, a ping, handed
    /// to staging), in the control-plane generation: it rides the job batches' statement. The
    /// answer does not depend on it; a row the database does not take within the deadline is said
    /// in the log, not retried.
    /// </summary>
    public async Task RecordAsync(InstallationEvent row, DeliveryAnswer answer, string deliveryId, CancellationToken cancellationToken)
    {
        if (ControlPlaneOutcome.Of(answer.Outcome) is not { } outcome)
        {
            return;
        }

        try
        {
            await batcher.RecordAsync(row, outcome, cancellationToken).WaitAsync(settings.DatabaseDeadline, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            log.LogWarning("delivery={Delivery} its installation_events row ({Outcome}) not written: {Problem}", deliveryId, outcome, DatabaseProblem.Describe(e));
        }
    }

    /// <param name="deliveryId">X-GitHub-Delivery, as the edge read it (empty when missing).</param>
    public Task<DeliveryAnswer> ExecuteAsync(DeliveryCommand command, HttpRequest request, string deliveryId, CancellationToken cancellationToken) =>
        command switch
        {
            DeliveryCommand.Store store => StoreAsync(store.Command, deliveryId, cancellationToken),
            DeliveryCommand.Forward forward => ForwardAsync(forward.Staging, request, forward.Body, cancellationToken),
            DeliveryCommand.Pong => Task.FromResult(DeliveryAnswer.Pong),
            DeliveryCommand.LogInstallation installation => Task.FromResult(DeliveryAnswer.InstallationLogged(installation)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };

    private async Task<DeliveryAnswer> StoreAsync(JobCommand command, string deliveryId, CancellationToken cancellationToken)
    {
        try
        {
            using (GhfeMetrics.DatabaseSeconds.NewTimer())
            {
                return DeliveryAnswer.Executed(command, await store.ExecuteAsync(command, deliveryId, cancellationToken));
            }
        }
        catch (Exception e) when (DatabaseProblem.IsData(e))
        {
            var problem = DatabaseProblem.Describe(e);
            log.LogWarning("delivery={Delivery} job={Job} not stored: PostgreSQL refused its data: {Problem}", deliveryId, command.Job.JobId, problem);
            return DeliveryAnswer.Unstorable(command, problem);
        }
        catch (NpgsqlException e)
        {
            var code = (e as PostgresException)?.SqlState ?? "no SQLSTATE";
            log.LogError(e, "delivery={Delivery} job={Job} not stored: database error {SqlState}", deliveryId, command.Job.JobId, code);
            return DeliveryAnswer.DatabaseError(command, code);
        }
    }

    private async Task<DeliveryAnswer> ForwardAsync(Uri staging, HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var (status, text, outcome) = await StagingForwarder.ForwardAsync(clients, staging, request, body, cancellationToken);
        return DeliveryAnswer.Forwarded(status, text, outcome);
    }
}
