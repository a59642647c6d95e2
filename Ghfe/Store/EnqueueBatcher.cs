using System.Threading.Channels;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Store;

/// <summary>
/// Group commit for queued jobs: the enqueues of concurrent deliveries share one statement, one
/// transaction and one NOTIFY (<see cref="EnqueueStatement"/>; a burst of hundreds a second costs a few commits, not hundreds).
/// Each delivery is answered only after its batch committed, with its own exact text.
/// </summary>
public sealed class EnqueueBatcher : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly DatabaseState _state;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;

    /// <param name="writers">
    /// Batches in flight at once. One by default: while it commits, the next batch gathers all
    /// that arrives meanwhile. Two halved the batches, and PostgreSQL's CPU per delivery went up
    /// by half at 16 connections (each commit has a fixed cost: a WAL flush, a NOTIFY, a round trip).
    /// </param>
    public EnqueueBatcher(NpgsqlDataSource dataSource, string channel, int writers = 1)
        : this(dataSource, channel, new DatabaseState(), writers)
    {
    }

    /// <param name="state">Says the schema's generation, which each batch is written in.</param>
    public EnqueueBatcher(NpgsqlDataSource dataSource, string channel, DatabaseState state, int writers = 1)
    {
        _dataSource = dataSource;
        _channel = channel;
        _state = state;
        // The writers serve every request: started without the first caller's context (its log scope).
        using (ExecutionContext.SuppressFlow())
        {
            _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync))];
        }
    }

    /// <summary>Stored or AlreadyExists once the batch holding this job committed; the batch's exception otherwise.</summary>
    public Task<JobOutcome> EnqueueAsync(JobRecord job, CancellationToken cancellationToken) =>
        EnqueueAsync(new Enqueued(job, null), cancellationToken);

    /// <summary>A queued job with its delivery's <c>installation_events</c> row, when it has one: both commit in one batch.</summary>
    public Task<JobOutcome> EnqueueAsync(JobCommand.Enqueue command, CancellationToken cancellationToken) =>
        EnqueueAsync(Enqueued.Of(command), cancellationToken);

    /// <summary>A delivery's row alone, in the control-plane generation: it rides the next batch.</summary>
    public Task RecordAsync(InstallationEvent row, string outcome, CancellationToken cancellationToken) =>
        EnqueueAsync(new Enqueued(null, row, outcome), cancellationToken);

    private async Task<JobOutcome> EnqueueAsync(Enqueued item, CancellationToken cancellationToken)
    {
        // Each delivery resumes on the pool, not on the writer: its log line, its answer and, after
        // a failed batch, its retries or journal fsync must not hold up the next batch, and a
        // stalled stdout must not stop every commit.
        var pending = new Pending(item, new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(EnqueueStatement.MaxJobs);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < EnqueueStatement.MaxJobs && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                Settle(batch, await InsertAsync(batch));
            }
            catch (Exception e) when (batch.Count > 1 && DatabaseProblem.IsData(e))
            {
                // One job's data sank the batch: each goes again alone, so only that one is refused.
                foreach (var pending in batch)
                {
                    await InsertAloneAsync(pending);
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task InsertAloneAsync(Pending pending)
    {
        try
        {
            Settle([pending], await InsertAsync([pending]));
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private static void Settle(List<Pending> batch, HashSet<long> inserted)
    {
        foreach (var pending in batch)
        {
            // The first request of an id that went in is the one that stored it.
            pending.Done.TrySetResult(pending.Item.Job is { } job && inserted.Remove(job.JobId) ? new JobOutcome.Stored() : new JobOutcome.AlreadyExists());
        }
    }

    private Task<HashSet<long>> InsertAsync(List<Pending> batch) =>
        EnqueueStatement.ExecuteAsync(_dataSource, _channel, _state.Generation, [.. batch.Select(pending => pending.Item)], CancellationToken.None);

    private sealed record Pending(Enqueued Item, TaskCompletionSource<JobOutcome> Done);
}
