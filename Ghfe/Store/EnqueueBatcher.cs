using System.Threading.Channels;
using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// Group commit for queued jobs: the enqueues of concurrent deliveries share one statement, one
/// transaction and one NOTIFY (a burst of hundreds a second costs a few commits, not hundreds).
/// Each delivery is answered only after its batch committed, with its own exact text.
/// </summary>
public sealed class EnqueueBatcher : IAsyncDisposable
{
    /// <summary>Ids of up to 19 digits and a comma: 256 of them stay well under NOTIFY's 8,000-byte payload.</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// Idempotent like the single enqueue: every id is inserted at most once (a duplicate in the
    /// batch, or a row already there, is skipped), and the one NOTIFY, whose payload lists the new
    /// ids, is delivered at commit — and only when something was inserted.
    /// </summary>
    private const string BatchSql = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                                 $7::jsonb[], $8::text[], $9::text[], $10::text[])
                AS t(job_id, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                     job_labels, k8s_pool, k8s_image, html_url)),
        inserted AS (
            INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                              installation_id, job_labels, k8s_pool, k8s_image, html_url)
            SELECT job_id, 'pending', 'github', entity_id, entity_name, entity_type, repo_full_name,
                   installation_id, job_labels, k8s_pool, k8s_image, html_url
            FROM input
            ON CONFLICT (job_id) DO NOTHING
            RETURNING job_id),
        wake AS (
            SELECT pg_notify($11, string_agg(job_id::text, ',')) AS sent FROM inserted HAVING count(*) > 0)
        SELECT job_id, (SELECT count(*) FROM wake) FROM inserted
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;

    /// <param name="writers">
    /// Batches in flight at once. One by default: while it commits, the next batch gathers all
    /// that arrives meanwhile. Two halved the batches, and PostgreSQL's CPU per delivery went up
    /// by half at 16 connections (each commit has a fixed cost: a WAL flush, a NOTIFY, a round trip).
    /// </param>
    public EnqueueBatcher(NpgsqlDataSource dataSource, string channel, int writers = 1)
    {
        _dataSource = dataSource;
        _channel = channel;
        // The writers serve every request: started without the first caller's context (its log scope).
        using (ExecutionContext.SuppressFlow())
        {
            _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync))];
        }
    }

    /// <summary>Stored or AlreadyExists once the batch holding this job committed; the batch's exception otherwise.</summary>
    public async Task<JobOutcome> EnqueueAsync(JobRecord job, CancellationToken cancellationToken)
    {
        // Each delivery resumes on the pool, not on the writer: its log line, its answer and, after
        // a failed batch, its retries or journal fsync must not hold up the next batch. (Resuming
        // on the writer was tried: ~2 µs less per delivery with text log lines, ~3 µs more with
        // JSON ones, and a stalled stdout would have stopped every commit.)
        var pending = new Pending(job, new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
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
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
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
            pending.Done.TrySetResult(inserted.Remove(pending.Job.JobId) ? new JobOutcome.Stored() : new JobOutcome.AlreadyExists());
        }
    }

    private async Task<HashSet<long>> InsertAsync(List<Pending> batch)
    {
        await using var command = _dataSource.CreateCommand(BatchSql);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. batch.Select(p => p.Job.JobId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. batch.Select(p => p.Job.EntityId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Job.EntityName)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Job.EntityType)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Job.RepoFullName)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. batch.Select(p => p.Job.InstallationId)] });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => LabelJson.Of(p.Job.Labels)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Job.Pool)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Job.Image)] });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Job.HtmlUrl).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _channel });

        var inserted = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            inserted.Add(reader.GetInt64(0));
        }

        return inserted;
    }

    private sealed record Pending(JobRecord Job, TaskCompletionSource<JobOutcome> Done);
}
