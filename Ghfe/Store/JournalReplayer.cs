using Ghfe.Configuration;
using Ghfe.Hosting;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Makes the schema once the database answers (ghfe may start while it is down), then applies
/// the journal as soon as it can, in order. On shutdown it keeps trying for a while
/// (<see cref="DrainBudget"/>), then says what remains: the next start on the same volume replays it.
/// </summary>
public sealed class JournalReplayer(NpgsqlDataSource dataSource, Journal journal, DatabaseState state, HostKnowledge hosts, GhfeSettings settings, ILogger<JournalReplayer> log)
    : BackgroundLoop
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a stopping ghfe keeps replaying a backlog: the database may be failing over and
    /// back within seconds. Inside the 30-s grace period of the manifests, with room for the
    /// deliveries in flight (each bounded by GHFE_DB_DEADLINE) to finish first.
    /// </summary>
    public static readonly TimeSpan DrainBudget = TimeSpan.FromSeconds(10);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (journal.Backlog > 0)
        {
            log.LogInformation("stopping with {Backlog} spooled commands: replaying them for up to {Seconds} s", journal.Backlog, DrainBudget.TotalSeconds);
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            drain.CancelAfter(DrainBudget);
            while (journal.Backlog > 0 && !drain.IsCancellationRequested)
            {
                await PassAsync(drain.Token);
                if (journal.Backlog > 0)
                {
                    await Task.Delay(Interval, drain.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
                }
            }
        }

        if (journal.Backlog > 0)
        {
            log.LogWarning("stopping with {Backlog} spooled commands in {Directory}: they replay at the next start", journal.Backlog, journal.Directory);
        }
    }

    protected override ILogger Log => log;

    protected override async Task LoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await PassAsync(stoppingToken);
        }
        while (await timer.TickAsync(stoppingToken));
    }

    /// <summary>A command whose data PostgreSQL refuses is set aside and said: left in the replay, it would hold up every command behind it, forever.</summary>
    private async Task ApplyAsync(Webhook.JobCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await JobStore.ExecuteAsync(dataSource, settings.NotifyChannel, state.Generation, command, cancellationToken);
        }
        catch (Exception e) when (DatabaseProblem.IsData(e))
        {
            await journal.SetAsideAsync(command, cancellationToken);
            log.LogError("spooled {Action} of job {Job} set aside in {File}: PostgreSQL refused its data: {Problem}", command.Action, command.Job.JobId, journal.SetAsidePath, DatabaseProblem.Describe(e));
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!state.SchemaReady)
            {
                var generation = await Schema.EnsureAsync(dataSource, settings.Schema, settings.SchemaGeneration, cancellationToken);
                state.MarkSchemaReady(generation);
                log.LogInformation("database is back: schema {Schema} ready, the {Generation} generation", settings.Schema, generation.Name());
            }

            if (journal.Backlog > 0)
            {
                var applied = await journal.ReplayAsync(ApplyAsync, cancellationToken);
                log.LogInformation("journal replayed: {Applied} spooled commands applied, {Backlog} waiting", applied, journal.Backlog);
            }
        }
        catch (SchemaGenerationConflict e)
        {
            // Nothing is written until an operator settles it: the spooled commands wait.
            log.LogError("{Problem}: spooled commands wait", e.Message);
        }
        catch (Exception e) when (Transient.Is(e) || e is OperationCanceledException)
        {
            // Still down (or stopping, or failing over): the next pass tries again.
            hosts.Forget(e);
        }
        catch (Exception e) when (e is NpgsqlException or IOException)
        {
            log.LogError(e, "journal replay failed and will be retried: {Problem}", e.Message);
        }
    }
}
