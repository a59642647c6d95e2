using Ghfe.Configuration;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>How a command ended up durable — or why it could not be.</summary>
public abstract record Durability
{
    private Durability() { }

    public sealed record Stored(JobOutcome Outcome) : Durability;

    /// <summary>In the journal, fsynced; the replayer applies it when the database is back.</summary>
    public sealed record Spooled(string Why) : Durability;

    /// <summary>Neither the database nor the journal would take it: nothing was claimed.</summary>
    public sealed record Unavailable(string Why) : Durability;
}

/// <summary>
/// 2xx means durable: a command goes to PostgreSQL, waiting out transient failures with backoff
/// until the deadline, and past it into the fsynced journal. A failover is one of those failures:
/// after it the pool forgets what it knew of the hosts, so the next attempt finds the new primary.
/// Non-transient database errors
/// (permissions, missing objects, bad configuration) are not spooled: they surface.
/// </summary>
public sealed class DurableStore(NpgsqlDataSource dataSource, EnqueueBatcher batcher, Journal journal, DatabaseState state, HostKnowledge hosts, GhfeSettings settings, TimeProvider clock)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    public async Task<Durability> ExecuteAsync(JobCommand command, string deliveryId, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + settings.DatabaseDeadline;
        var delay = FirstDelay;
        var why = "the schema is not ready yet";
        while (true)
        {
            var remaining = deadline - clock.GetUtcNow();
            if (state.SchemaReady && remaining > TimeSpan.Zero)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(remaining);
                try
                {
                    return new Durability.Stored(command is JobCommand.Enqueue enqueue
                        ? await batcher.EnqueueAsync(enqueue, attempt.Token)
                        : await JobStore.ExecuteAsync(dataSource, settings.NotifyChannel, state.Generation, command, attempt.Token));
                }
                catch (Exception e) when (Transient.Is(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    why = DatabaseProblem.Describe(e);
                    hosts.Forget(e);
                }
            }

            remaining = deadline - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(delay < remaining ? delay : remaining, clock, cancellationToken);
            delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
        }

        try
        {
            await journal.AppendAsync(command, deliveryId, cancellationToken);
            return new Durability.Spooled(why);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Durability.Unavailable($"database unavailable ({why}) and journal unwritable ({e.Message})");
        }
    }
}
