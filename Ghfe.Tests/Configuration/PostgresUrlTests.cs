using Ghfe.Configuration;
using Npgsql;

namespace Ghfe.Tests.Configuration;

public class PostgresUrlTests
{
    private static NpgsqlConnectionStringBuilder Parsed(string url) =>
        PostgresUrl.Parse(url).Match(Right: builder => builder, Left: problem => throw new InvalidOperationException(problem));

    private static string Problem(string url) =>
        PostgresUrl.Parse(url).Match(Right: _ => "(parsed)", Left: problem => problem);

    [Fact]
    public void Reads_the_uri_form_with_ssl()
    {
        var builder = Parsed("postgresql://ghfe:s3cret@db.example.com:6543/runners?sslmode=require");

        Assert.Equal(("db.example.com", 6543, "runners", "ghfe", "s3cret", SslMode.Require),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
    }

    [Fact]
    public void Percent_decodes_user_password_and_database()
    {
        var builder = Parsed("postgres://us%40er:p%3Aa%2Fss%40w%25rd@localhost/my%20db");

        Assert.Equal(("us@er", "p:a/ss@w%rd", "my db", 5432), (builder.Username, builder.Password, builder.Database, builder.Port));
    }

    [Fact]
    public void Takes_several_hosts_and_ipv6()
    {
        Assert.Equal("a:5432,b:5433", Parsed("postgresql://u@a:5432,b:5433/db").Host);
        var ipv6 = Parsed("postgresql://u@[::1]:6000/db");
        Assert.Equal(("::1", 6000), (ipv6.Host, ipv6.Port));
    }

    [Fact]
    public void Reads_query_parameters()
    {
        var builder = Parsed("postgresql://u@h/db?connect_timeout=7&application_name=ghfe-prod&sslmode=verify-full");
        Assert.Equal((7, "ghfe-prod", SslMode.VerifyFull), (builder.Timeout, builder.ApplicationName, builder.SslMode));
    }

    [Fact]
    public void Reads_an_npgsql_keyword_string()
    {
        var builder = Parsed("Host=127.0.0.1;Port=5433;Username=postgres;Password=pw;Database=ghfe");
        Assert.Equal(("127.0.0.1", 5433, "ghfe"), (builder.Host, builder.Port, builder.Database));
    }

    [Theory]
    [InlineData("postgresql://u:hunter2@h/db?sslmode=sometimes", "sslmode \"sometimes\"")]
    [InlineData("postgresql://u:hunter2@h/db?frobnicate=1", "unsupported parameter \"frobnicate\"")]
    [InlineData("postgresql://u:hunter2@h/db?connect_timeout=soon", "connect_timeout")]
    [InlineData("postgresql://u:hunter2@/db", "names no host")]
    [InlineData("Hots=h;Password=hunter2", "neither a postgresql:// URI nor a valid Npgsql connection string")]
    [InlineData("Port=notaport;Host=h;Password=hunter2", "neither a postgresql:// URI nor a valid Npgsql connection string")]
    public void Refuses_a_malformed_value_without_repeating_the_password(string url, string expected)
    {
        var problem = Problem(url);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Describes_a_connection_without_its_password()
    {
        var described = PostgresUrl.Describe(Parsed("postgresql://ghfe:s3cret@db:5432/runners"));
        Assert.Equal("db:5432/runners as ghfe", described);
    }
}
