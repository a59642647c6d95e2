using Ghfe.Configuration;
using Ghfe.Store;
using Npgsql;

namespace Ghfe.Tests.Store;

public class ConnectionTuningTests
{
    private static NpgsqlConnectionStringBuilder Tuned(string url) =>
        ConnectionTuning.Apply(PostgresUrl.Parse(url).Match(Right: builder => builder, Left: problem => throw new InvalidOperationException(problem)), "staging");

    [Fact]
    public void A_multi_host_url_for_the_primary_makes_a_multi_host_source_that_rechecks_its_hosts_every_second()
    {
        var connection = Tuned("postgresql://ghfe@db-a:5432,db-b:5433/ghfe?target_session_attrs=read-write");
        using var dataSource = NpgsqlDataSource.Create(connection);

        Assert.Equal("db-a:5432,db-b:5433", connection.Host);
        Assert.Equal("read-write", connection.TargetSessionAttributes);
        Assert.Equal(1, connection.HostRecheckSeconds);
        Assert.IsType<NpgsqlMultiHostDataSource>(dataSource);
    }

    [Fact]
    public void One_host_keeps_npgsql_s_recheck_and_a_single_pool()
    {
        var connection = Tuned("postgresql://ghfe@db:5432/ghfe");
        using var dataSource = NpgsqlDataSource.Create(connection);

        Assert.Equal(new NpgsqlConnectionStringBuilder().HostRecheckSeconds, connection.HostRecheckSeconds);
        Assert.IsNotType<NpgsqlMultiHostDataSource>(dataSource);
    }
}
