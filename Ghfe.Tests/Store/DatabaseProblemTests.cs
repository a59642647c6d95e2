using System.Net.Sockets;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Tests.Store;

public class DatabaseProblemTests
{
    [Fact]
    public void A_server_error_is_its_sqlstate_and_message() =>
        Assert.Equal(
            "57P03 the database system is starting up",
            DatabaseProblem.Describe(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")));

    [Fact]
    public void A_connection_failure_is_its_cause() =>
        Assert.Equal(
            "Connection refused",
            DatabaseProblem.Describe(new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public void A_deadline_passed_says_so() =>
        Assert.Equal("no answer before the deadline", DatabaseProblem.Describe(new OperationCanceledException()));

    [Fact]
    public void Is_one_line() =>
        Assert.Equal("could not connect: server closed the connection", DatabaseProblem.Describe(new TimeoutException("could not connect:\nserver closed the connection")));

    [Theory]
    [InlineData("54000", true)] // index row size exceeds btree maximum
    [InlineData("22P05", true)] // unsupported Unicode escape sequence (\u0000 in JSONB)
    [InlineData("22001", true)] // string data right truncation
    [InlineData("22P02", false)] // invalid input value for enum: a schema that lacks a value, the deployment's
    [InlineData("22023", false)] // invalid parameter value: not known to be one delivery's
    [InlineData("23505", false)] // a unique violation is the statement's, not the data's
    [InlineData("42501", false)] // insufficient privilege: the deployment's
    [InlineData("57P01", false)] // admin shutdown: the weather
    public void Data_problems_are_program_limits_and_values_postgresql_cannot_store(string sqlState, bool data) =>
        Assert.Equal(data, DatabaseProblem.IsData(new PostgresException("refused", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void A_connection_failure_is_no_data_problem() =>
        Assert.False(DatabaseProblem.IsData(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public void Several_hosts_that_failed_are_each_one_s_cause() =>
        Assert.Equal(
            "Connection refused; 57P03 the database system is starting up",
            DatabaseProblem.Describe(new NpgsqlException(
                "Unable to connect to a suitable host. Check inner exception for more details.",
                new AggregateException(
                    new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused)),
                    new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")))));
}
