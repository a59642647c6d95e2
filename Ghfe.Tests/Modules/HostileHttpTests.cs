using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using Ghfe.Tests.Support;
using Ghfe.Tests.Webhook;

namespace Ghfe.Tests.Modules;

/// <summary>Hostile traffic over real HTTP: never a 5xx, never a stack trace, slow or bloated requests cut off.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileHttpTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    [Fact]
    public async Task Mutated_payloads_never_get_a_5xx()
    {
        var bodies = new ConcurrentBag<byte[]>();
        HostileInputTests.Deliveries.Sample(bodies.Add, iter: 300, threads: 1);

        var answers = await Task.WhenAll(bodies.Select(body => Ghfe.DeliverAsync("workflow_job", body)));

        Assert.All(answers, answer => Assert.InRange(answer.Status, 200, 499));
        Assert.DoesNotContain(answers, answer => answer.Text.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_many_headers_are_refused_cleanly()
    {
        var headers = Enumerable.Range(0, 100).Select(i => ($"X-Padding-{i}", "x")).ToArray();
        var (status, _) = await Ghfe.SendAsync("{}"u8.ToArray(), headers);
        Assert.Equal(431, status);
    }

    [Fact]
    public async Task An_oversized_header_is_refused_cleanly()
    {
        var (status, _) = await Ghfe.SendAsync("{}"u8.ToArray(), ("X-GitHub-Event", new string('w', 40 * 1024)));
        Assert.Equal(431, status);
        var (past, _) = await Ghfe.SendAsync("{}"u8.ToArray(), ("X-Padding", new string('w', 9 * 1024)));
        Assert.Equal(431, past);
        var (within, _) = await Ghfe.SendAsync("{}"u8.ToArray(), ("X-Padding", new string('w', 4 * 1024)));
        Assert.Equal(400, within); // past the door: refused for its missing X-GitHub-Event, not its size
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task A_body_trickled_a_byte_a_second_is_cut_off()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Ghfe.Address.Host, Ghfe.Address.Port);
        var stream = client.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: {Ghfe.Address.Authority}\r\nX-GitHub-Event: workflow_job\r\nX-Hub-Signature-256: sha256={new string('0', 64)}\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var cutOff = false;
        for (var second = 0; second < 20 && !cutOff; second++)
        {
            try
            {
                await stream.WriteAsync("{"u8.ToArray());
                await Task.Delay(1000);
                cutOff = client.Client.Poll(0, SelectMode.SelectRead);
            }
            catch (IOException)
            {
                cutOff = true;
            }
        }

        Assert.True(cutOff, "the server kept a trickling request open for 20 s");
    }
}
