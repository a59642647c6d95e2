using System.Globalization;
using System.Threading.Channels;
using Ghfe.Hosting;
using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// Writes the delivery log off the answer's path: entries queue in memory (bounded; the oldest
/// give way under a flood) and go in batches, one COPY each, gathered for a moment so that a
/// burst costs a few transactions, not one per handful of deliveries; what is gathered when ghfe
/// stops still goes in. It is a diagnostic record, not the job: a database outage drops log
/// rows, never a delivery, and its commits do not wait for the disk (the jobs' commits, which
/// do, flush them too). Rows older than the retention are pruned. Unsigned requests are counted,
/// not queued: each minute, once it has ended, becomes a row and a log line per source and
/// outcome (<see cref="UnsignedTally"/>), and what is counted when ghfe stops goes in too.
/// </summary>
public sealed class DeliveryLog(NpgsqlDataSource dataSource, DatabaseState state, TimeProvider clock, ILogger<DeliveryLog> log, TimeSpan retention) : BackgroundLoop
{
    private const int MaxBatch = 2_000;

    /// <summary>
    /// How long the first entry of a batch waits for others: unseen on /deliveries, and a burst's
    /// rows share one COPY. Not longer: under a flood, longer-lived entries outlive collections
    /// (ghfe's peak memory grows) and a larger COPY holds a core long enough to show in the
    /// answers' p99 (bench/README.md has the figures).
    /// </summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    /// <summary>How long the entries gathered when ghfe stops may take to go in.</summary>
    private static readonly TimeSpan LastWrite = TimeSpan.FromSeconds(3);

    private const string CopySql = """
        COPY deliveries (delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository,
                         labels, outcome, status, elapsed_ms, source, requests, samples, app_id, owner_type, installation_id)
        FROM STDIN (FORMAT BINARY)
        """;

    private readonly Channel<DeliveryEntry> _queue = Channel.CreateBounded<DeliveryEntry>(
        new BoundedChannelOptions(20_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly UnsignedTally _unsigned = new();

    public void Record(DeliveryEntry entry) => _queue.Writer.TryWrite(entry);

    public void Count(UnsignedRequest request) => _unsigned.Count(request);

    /// <summary>Deletes what is older than the retention; the count deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var prune = dataSource.CreateCommand("DELETE FROM deliveries WHERE received_at < now() - $1::interval");
        prune.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = retention });
        return await prune.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override ILogger Log => log;

    protected override async Task LoopAsync(CancellationToken stoppingToken)
    {
        var lastPrune = DateTimeOffset.MinValue;
        var batch = new List<DeliveryEntry>(MaxBatch); // taken from the queue, not yet written
        try
        {
            while (await NextAsync(stoppingToken))
            {
                if (_queue.Reader.Count is > 0 and < MaxBatch)
                {
                    await Task.Delay(Gather, clock, stoppingToken);
                }

                TakeUnsigned(batch, clock.GetUtcNow());
                Take(batch);
                await WriteAsync(batch, stoppingToken);
                var now = clock.GetUtcNow();
                if (now - lastPrune > PruneEvery)
                {
                    lastPrune = now;
                    await PruneQuietlyAsync(stoppingToken);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException && stoppingToken.IsCancellationRequested)
        {
            // Stopped while gathering or writing: the batch is still whole, and goes in below.
        }

        // ghfe stops: what was gathered, or cut off mid-COPY, still goes in, within a deadline.
        using var deadline = new CancellationTokenSource(LastWrite);
        TakeUnsigned(batch, now: null);
        for (Take(batch); batch.Count > 0; Take(batch))
        {
            await WriteAsync(batch, deadline.Token);
        }
    }

    /// <summary>True when entries wait, or a minute has ended (its unsigned requests go in); false once ghfe stops.</summary>
    private async Task<bool> NextAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        using var minuteEnds = new CancellationTokenSource(UnsignedTally.MinuteOf(now).AddMinutes(1) - now, clock);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, minuteEnds.Token);
        try
        {
            return await _queue.Reader.WaitToReadAsync(wake.Token);
        }
        catch (OperationCanceledException)
        {
            return !stoppingToken.IsCancellationRequested;
        }
    }

    /// <summary>The unsigned requests of the minutes ended by <paramref name="now"/> (all when null), as rows and one log line each.</summary>
    private void TakeUnsigned(List<DeliveryEntry> batch, DateTimeOffset? now)
    {
        foreach (var row in _unsigned.Take(now))
        {
            log.LogWarning(
                "unsigned: {Requests} × {Outcome} (status {Status}) from {Source} in the minute from {Minute}, e.g. delivery {Deliveries}; user agent {UserAgents}",
                row.Requests, row.Outcome.Wire(), row.Status, row.Source ?? "-", row.ReceivedAt.ToString("yyyy-MM-ddTHH:mm'Z'", CultureInfo.InvariantCulture),
                OrDash(row.Samples?.DeliveryIds), OrDash(row.Samples?.UserAgents));
            batch.Add(row);
        }
    }

    private static string OrDash(IReadOnlyList<string>? samples) => samples is { Count: > 0 } ? string.Join(", ", samples) : "-";

    private void Take(List<DeliveryEntry> batch)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
    }

    /// <summary>Writes the batch and empties it; a database problem drops it (said in the log); a cancellation leaves it whole.</summary>
    private async Task WriteAsync(List<DeliveryEntry> batch, CancellationToken cancellationToken)
    {
        try
        {
            if (state.SchemaReady && batch.Count > 0)
            {
                await InsertAsync(batch, cancellationToken);
            }
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            log.LogWarning("delivery log: {Count} entries not written ({Problem})", batch.Count, e.Message);
        }

        batch.Clear();
    }

    private async Task PruneQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PruneAsync(cancellationToken);
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            log.LogWarning("delivery log: old rows not pruned ({Problem})", e.Message);
        }
    }

    /// <summary>The database failed the log's write or prune (dropped and said); not ghfe stopping mid-way.</summary>
    private static bool IsOutage(Exception e, CancellationToken cancellationToken) =>
        e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested;

    /// <summary>
    /// Binary COPY: the cheapest way into PostgreSQL for rows nobody conflicts with, for both
    /// sides. The rows go through the importer's synchronous writers: they fill its buffer and
    /// only block to send a full one, where the awaited writers cost a state machine per field.
    /// </summary>
    private async Task InsertAsync(List<DeliveryEntry> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var relaxed = new NpgsqlCommand("SET LOCAL synchronous_commit = off", connection, transaction))
        {
            await relaxed.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(CopySql, cancellationToken))
        {
            foreach (var entry in batch)
            {
                copy.StartRow();
                Write(copy, entry.DeliveryId, NpgsqlDbType.Text);
                Write(copy, entry.ReceivedAt, NpgsqlDbType.TimestampTz);
                Write(copy, entry.Event, NpgsqlDbType.Text);
                Write(copy, entry.Action, NpgsqlDbType.Text);
                Write(copy, entry.JobId, NpgsqlDbType.Bigint);
                Write(copy, entry.OwnerId, NpgsqlDbType.Bigint);
                Write(copy, entry.OwnerLogin, NpgsqlDbType.Text);
                Write(copy, entry.Repository, NpgsqlDbType.Text);
                Write(copy, entry.Labels is null ? null : LabelJson.Of(entry.Labels), NpgsqlDbType.Jsonb);
                Write(copy, entry.Outcome.Wire(), NpgsqlDbType.Text);
                Write(copy, entry.Status, NpgsqlDbType.Integer);
                Write(copy, (float)entry.ElapsedMs, NpgsqlDbType.Real);
                Write(copy, entry.Source, NpgsqlDbType.Text);
                Write(copy, entry.Requests, NpgsqlDbType.Integer);
                Write(copy, entry.Samples is null ? null : entry.Samples.ToJson(), NpgsqlDbType.Jsonb);
                Write(copy, entry.AppId, NpgsqlDbType.Bigint);
                Write(copy, entry.OwnerType, NpgsqlDbType.Text);
                Write(copy, entry.InstallationId, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void Write<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, type);
        }
    }
}
