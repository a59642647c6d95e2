using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ghfe.Tests.Support;

/// <summary>
/// An HTTP peer as bare as a socket, on 127.0.0.1: to its first request it answers a head and
/// then a body far larger than anyone should read, written straight to the socket until the peer
/// hangs up. Kestrel completes writes to a closed connection; a socket fails them, so the bytes
/// the peer's connection took are counted exactly.
/// </summary>
public sealed class StreamingServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private StreamingServer(TcpListener listener, Func<TcpListener, CancellationToken, Task<long>> serve)
    {
        _listener = listener;
        Sent = serve(listener, _stop.Token);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Once the peer has hung up: how many bytes of the body its connection took.</summary>
    public Task<long> Sent { get; }

    /// <param name="head">The status line and headers, without the blank line that ends them.</param>
    public static StreamingServer Start(string head, ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> rest, long total)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new StreamingServer(listener, async (l, stop) =>
        {
            using var client = await l.AcceptTcpClientAsync(stop);
            await using var stream = client.GetStream();
            await ReadHeadAsync(stream, stop);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n\r\n"), stop);
            long sent = 0;
            try
            {
                while (sent < total)
                {
                    var chunk = sent == 0 ? first : rest;
                    await stream.WriteAsync(chunk, stop);
                    sent += chunk.Length;
                }
            }
            catch (IOException)
            {
                // The peer hung up.
            }

            return sent;
        });
    }

    /// <summary>Reads up to the blank line that ends the request's head; its body (if any) is left unread.</summary>
    private static async Task ReadHeadAsync(NetworkStream stream, CancellationToken stop)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (seen.Count < 64 * 1024 && await stream.ReadAsync(one, stop) == 1)
        {
            seen.Add(one[0]);
            if (seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n')
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Sent;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            // Stopped before or while serving.
        }

        _stop.Dispose();
    }
}
