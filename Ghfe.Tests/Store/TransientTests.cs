using System.Net.Sockets;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Tests.Store;

/// <summary>Every way a failover shows itself is waited out and spooled past; what a broken deployment says stays loud.</summary>
public class TransientTests
{
    private static PostgresException Server(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    private static NpgsqlException Refused() =>
        new("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused));

    public static TheoryData<string, Exception> Failovers() => new()
    {
        { "no suitable host (every host offline or a standby)", new NpgsqlException("No suitable host was found.") },
        { "each host failed in its own way", new NpgsqlException("Unable to connect to a suitable host. Check inner exception for more details.", new AggregateException(Refused(), Server("57P03"))) },
        { "connection refused", Refused() },
        { "connection reset", new NpgsqlException("Exception while reading from stream", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))) },
        { "admin shutdown", Server("57P01") },
        { "crash shutdown", Server("57P02") },
        { "cannot connect now", Server("57P03") },
        { "read-only transaction (a demoted primary)", Server("25006") },
        { "connection failure", Server("08006") },
    };

    [Theory]
    [MemberData(nameof(Failovers))]
    public void A_failover_is_transient_and_makes_the_pool_forget_its_hosts(string why, Exception failure)
    {
        Assert.True(Transient.Is(failure), why);
        Assert.True(Transient.IsFailover(failure), why);
    }

    [Theory]
    [InlineData("28P01")] // bad password
    [InlineData("42501")] // permission denied
    [InlineData("42P01")] // no such table
    [InlineData("3D000")] // no such database
    public void A_broken_deployment_is_not_transient(string sqlState)
    {
        Assert.False(Transient.Is(Server(sqlState)));
        Assert.False(Transient.IsFailover(Server(sqlState)));
    }

    [Fact]
    public void Hosts_that_all_refuse_the_credentials_are_not_transient() =>
        Assert.False(Transient.Is(new NpgsqlException("Unable to connect to a suitable host.", new AggregateException(Server("28P01"), Refused()))));

    [Fact]
    public void A_serialization_failure_is_transient_but_no_failover()
    {
        Assert.True(Transient.Is(Server("40001")));
        Assert.False(Transient.IsFailover(Server("40001")));
    }
}
