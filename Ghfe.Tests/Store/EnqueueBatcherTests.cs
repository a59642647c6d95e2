using Ghfe.Store;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>Group commit: the jobs that arrive while a batch commits share the next statement, transaction and NOTIFY.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EnqueueBatcherTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Jobs_that_queue_behind_a_commit_go_in_one_batch_with_one_notify_listing_each_new_id_once()
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        await using var _ = dataSource;
        await using var listener = await Listener.StartAsync(database, "staging_queue_event");
        await using var batcher = new EnqueueBatcher(dataSource, "staging_queue_event");

        // Hold the table: the first batch blocks in its INSERT while 40 more jobs (and repeats) queue behind it.
        await using var hold = await JobsTableLock.TakeAsync(database);

        var first = batcher.EnqueueAsync(Job(1), CancellationToken.None);
        await WaitUntilBlockedAsync(dataSource);
        // Each EnqueueAsync has put its job in the batcher's (unbounded) queue when it returns: all 43 wait behind the held batch.
        var queued = Enumerable.Range(2, 40).Concat([2, 3, 1]).Select(id => batcher.EnqueueAsync(Job(id), CancellationToken.None)).ToArray();
        Assert.DoesNotContain(queued, enqueue => enqueue.IsCompleted);
        await hold.ReleaseAsync();

        var outcomes = await Task.WhenAll([first, .. queued]);
        var heard = await listener.HeardAsync();

        Assert.Equal(41, outcomes.Count(outcome => outcome is JobOutcome.Stored));
        Assert.Equal(3, outcomes.Count(outcome => outcome is JobOutcome.AlreadyExists));
        Assert.Equal(2, listener.Notifications);
        Assert.Equal(Enumerable.Range(1, 41).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), heard.Order());
    }

    [Fact]
    public async Task A_failed_batch_is_answered_off_the_writer_so_the_next_batch_commits_while_its_deliveries_retry()
    {
        var (database, dataSource) = await cluster.CreateStoreAsync();
        await using var _ = dataSource;
        await using var batcher = new EnqueueBatcher(dataSource, "staging_queue_event");

        await using var hold = await JobsTableLock.TakeAsync(database);

        // The failed delivery's caller stands for one that retries or fsyncs the journal: it
        // holds whichever thread answers it until released.
        // (Started on the pool, so that no test SynchronizationContext takes the continuation instead.)
        using var release = new ManualResetEventSlim();
        var failed = Task.Run(() => batcher.EnqueueAsync(Job(1), CancellationToken.None));
        var answered = failed.ContinueWith(_ => release.Wait(TimeSpan.FromSeconds(30)), TaskContinuationOptions.ExecuteSynchronously);
        JobOutcome next;
        try
        {
            await WaitUntilBlockedAsync(dataSource);
            await using (var cancel = dataSource.CreateCommand($"SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE {BlockedInsert}"))
            {
                await cancel.ExecuteScalarAsync();
            }

            await hold.ReleaseAsync();
            next = await batcher.EnqueueAsync(Job(2), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            release.Set();
        }

        await answered;

        Assert.IsType<JobOutcome.Stored>(next);
        var error = await Assert.ThrowsAsync<PostgresException>(() => failed);
        Assert.Equal(PostgresErrorCodes.QueryCanceled, error.SqlState);
    }

    /// <summary>The batch's INSERT waiting for the table lock, in this test's database only.</summary>
    private const string BlockedInsert = "datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO jobs%'";

    private static JobRecord Job(long id) =>
        new(id, "Organization", 42, "someone", "someone/project", 1, ["ubuntu-24.04-riscv"], "scw-em-rv1", "img", null);

    /// <summary>An open transaction holding staging.jobs: every INSERT waits until it is released.</summary>
    private sealed class JobsTableLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public static async Task<JobsTableLock> TakeAsync(string database)
        {
            var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var lockJobs = new NpgsqlCommand("LOCK TABLE staging.jobs IN EXCLUSIVE MODE", connection, transaction);
            await lockJobs.ExecuteNonQueryAsync();
            return new JobsTableLock(connection, transaction);
        }

        public Task ReleaseAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task WaitUntilBlockedAsync(NpgsqlDataSource dataSource)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var waiting = dataSource.CreateCommand($"SELECT count(*) FROM pg_stat_activity WHERE {BlockedInsert}");
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the first batch never waited for the lock");
    }
}
