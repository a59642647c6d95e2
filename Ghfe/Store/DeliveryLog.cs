using System.Threading.Channels;
using Ghfe.Hosting;
using Ghfe.Webhook;
using Npgsql;
using NpgsqlTypes;

namespace Ghfe.Store;

/// <summary>
/// Writes the delivery log off the answer's path: entries queue in memory (bounded; the oldest
/// give way under a flood) and go in batches, one statement each. It is a diagnostic record,
/// not the job: a database outage drops log rows, never a delivery. Rows older than the
/// retention are pruned.
/// </summary>
public sealed class DeliveryLog(NpgsqlDataSource dataSource, DatabaseState state, TimeProvider clock, ILogger<DeliveryLog> log, TimeSpan retention) : BackgroundLoop
{
    private const int MaxBatch = 500;

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    private const string CopySql = """
        COPY deliveries (delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository,
                         labels, outcome, status, elapsed_ms, source)
        FROM STDIN (FORMAT BINARY)
        """;

    private readonly Channel<DeliveryEntry> _queue = Channel.CreateBounded<DeliveryEntry>(
        new BoundedChannelOptions(20_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Record(DeliveryEntry entry) => _queue.Writer.TryWrite(entry);

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
        var batch = new List<DeliveryEntry>(MaxBatch);
        while (await _queue.Reader.WaitAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (!state.SchemaReady)
            {
                continue;
            }

            try
            {
                await InsertAsync(batch, stoppingToken);
                var now = clock.GetUtcNow();
                if (now - lastPrune > PruneEvery)
                {
                    lastPrune = now;
                    await PruneAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogWarning("delivery log: {Count} entries not written ({Problem})", batch.Count, e.Message);
            }
        }
    }

    /// <summary>Binary COPY: the cheapest way into PostgreSQL for rows nobody conflicts with, for both sides.</summary>
    private async Task InsertAsync(List<DeliveryEntry> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var copy = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        async Task Write<T>(T? value, NpgsqlDbType type)
        {
            if (value is null)
            {
                await copy.WriteNullAsync(cancellationToken);
            }
            else
            {
                await copy.WriteAsync(value, type, cancellationToken);
            }
        }

        foreach (var entry in batch)
        {
            await copy.StartRowAsync(cancellationToken);
            await Write(entry.DeliveryId, NpgsqlDbType.Text);
            await Write(entry.ReceivedAt, NpgsqlDbType.TimestampTz);
            await Write(entry.Event, NpgsqlDbType.Text);
            await Write(entry.Action, NpgsqlDbType.Text);
            await Write(entry.JobId, NpgsqlDbType.Bigint);
            await Write(entry.OwnerId, NpgsqlDbType.Bigint);
            await Write(entry.OwnerLogin, NpgsqlDbType.Text);
            await Write(entry.Repository, NpgsqlDbType.Text);
            await Write(entry.Labels is null ? null : LabelJson.Of(entry.Labels), NpgsqlDbType.Jsonb);
            await Write(entry.Outcome, NpgsqlDbType.Text);
            await Write(entry.Status, NpgsqlDbType.Integer);
            await Write((float)entry.ElapsedMs, NpgsqlDbType.Real);
            await Write(entry.Source, NpgsqlDbType.Text);
        }

        await copy.CompleteAsync(cancellationToken);
    }
}
