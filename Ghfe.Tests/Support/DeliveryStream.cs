using System.Collections.Concurrent;

namespace Ghfe.Tests.Support;

/// <summary>Distinct queued deliveries sent at a fixed concurrency; faults are injected as answers come in.</summary>
public sealed class DeliveryStream
{
    private readonly ConcurrentDictionary<long, (int Status, string Text)> _answers = new();
    private int _answered;

    public int Answered => Volatile.Read(ref _answered);

    public IReadOnlyDictionary<long, (int Status, string Text)> Answers => _answers;

    public static byte[] Queued(long jobId)
    {
        var payload = Payloads.Queued();
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    /// <summary>Sends every id; a send that fails at the HTTP or socket level (the server died) is recorded as status 0.</summary>
    public async Task RunAsync(IEnumerable<long> jobIds, int concurrency, Func<long, Task<(int Status, string Text)>> send)
    {
        await Parallel.ForEachAsync(jobIds, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (jobId, _) =>
        {
            try
            {
                _answers[jobId] = await send(jobId);
            }
            // A connection that the dying server resets between connect and the first read can
            // surface as a bare SocketException (HttpClient reads the peer's address in between).
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException)
            {
                _answers[jobId] = (0, e.Message);
            }

            Interlocked.Increment(ref _answered);
        });
    }

    public async Task WhenAnsweredAsync(int count)
    {
        while (Answered < count)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Status → how many answers had it.</summary>
    public IReadOnlyDictionary<int, int> Tally() =>
        _answers.Values.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
}
