using System.Collections.Concurrent;
using Npgsql;

namespace Ghfe.Tests.Support;

/// <summary>
/// A connection LISTENing on a channel, as the scheduler does; it keeps every job id it hears
/// (a group-committed batch sends one notification listing its new ids, comma-separated).
/// </summary>
public sealed class Listener : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentQueue<string> _payloads = new();
    private int _notifications;

    private Listener(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Notification += (_, e) =>
        {
            Interlocked.Increment(ref _notifications);
            foreach (var id in e.Payload.Split(','))
            {
                _payloads.Enqueue(id);
            }
        };
    }

    public static async Task<Listener> StartAsync(string connectionString, string channel)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
        await listen.ExecuteNonQueryAsync();
        return new Listener(connection);
    }

    /// <summary>Everything heard until the line has been quiet for <paramref name="quiet"/>.</summary>
    public async Task<IReadOnlyList<string>> HeardAsync(TimeSpan? quiet = null)
    {
        while (await _connection.WaitAsync(quiet ?? TimeSpan.FromMilliseconds(500)))
        {
        }

        return [.. _payloads];
    }

    /// <summary>How many notifications came (each may list several ids).</summary>
    public int Notifications => Volatile.Read(ref _notifications);

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
