using System.Threading.Channels;
using Ghfe.Pages;
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
public sealed class DeliveryLog(NpgsqlDataSource dataSource, DatabaseState state, ILogger<DeliveryLog> log, TimeSpan retention) : BackgroundService
{
    private const int MaxBatch = 500;

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    private const string InsertSql = """
        INSERT INTO deliveries (delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository,
                                labels, outcome, status, elapsed_ms, source)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
                             $8::text[], $9::jsonb[], $10::text[], $11::int[], $12::real[], $13::text[])
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastPrune = DateTime.MinValue;
        var batch = new List<DeliveryEntry>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
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
                if (DateTime.UtcNow - lastPrune > PruneEvery)
                {
                    lastPrune = DateTime.UtcNow;
                    await PruneAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogWarning("delivery log: {Count} entries not written ({Problem})", batch.Count, e.Message);
            }
        }
    }

    private async Task InsertAsync(List<DeliveryEntry> batch, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(InsertSql);
        void Add<T>(Func<DeliveryEntry, T> column, NpgsqlDbType type) =>
            insert.Parameters.Add(new NpgsqlParameter { Value = batch.Select(column).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });
        Add(e => e.DeliveryId, NpgsqlDbType.Text);
        Add(e => e.ReceivedAt, NpgsqlDbType.TimestampTz);
        Add(e => e.Event, NpgsqlDbType.Text);
        Add(e => e.Action, NpgsqlDbType.Text);
        Add(e => e.JobId, NpgsqlDbType.Bigint);
        Add(e => e.OwnerId, NpgsqlDbType.Bigint);
        Add(e => e.OwnerLogin, NpgsqlDbType.Text);
        Add(e => e.Repository, NpgsqlDbType.Text);
        Add(e => e.Labels is null ? null : LabelJson.Of(e.Labels), NpgsqlDbType.Jsonb);
        Add(e => e.Outcome, NpgsqlDbType.Text);
        Add(e => e.Status, NpgsqlDbType.Integer);
        Add(e => (float)e.ElapsedMs, NpgsqlDbType.Real);
        Add(e => e.Source, NpgsqlDbType.Text);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
