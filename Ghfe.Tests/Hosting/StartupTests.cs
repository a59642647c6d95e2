using System.Net;
using System.Net.Sockets;
using Ghfe.Hosting;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Hosting;

/// <summary>A bad configuration stops start-up with one line that names the problem.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StartupTests(PostgresCluster cluster)
{
    private static async Task<string> StartupProblem(string postgresUrl, params (string, string)[] settings)
    {
        var failure = await Assert.ThrowsAsync<StartupException>(() =>
            Program.BuildAsync(GhfeServer.Arguments(postgresUrl, prod: false, settings), CancellationToken.None));
        Assert.DoesNotContain('\n', failure.Message);
        return failure.Message;
    }

    [Fact]
    public async Task A_missing_routing_file()
    {
        var problem = await StartupProblem(await cluster.CreateDatabaseAsync(), ("GHFE_CONFIG", "/nonexistent/routing.json"));
        Assert.StartsWith("routing file /nonexistent/routing.json: cannot read it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_routing_file_with_an_unknown_pool()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ghfe-routing-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(Ghfe.Configuration.RoutingFile.ShippedPath)).Replace("\"cloudv10x-jupiter\", \"image\"", "\"cloudv10x-mars\", \"image\"", StringComparison.Ordinal));
        try
        {
            var problem = await StartupProblem(await cluster.CreateDatabaseAsync(), ("GHFE_CONFIG", path));
            Assert.Equal($"routing file {path}: line 45, rules[1].routes[0].pool: unknown pool \"cloudv10x-mars\" (pools: scw-em-rv1, cloudv10x-jupiter, cloudv10x-pioneer, cloudv10x-rvv)", problem);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_malformed_POSTGRES_URL_without_its_password()
    {
        var problem = await StartupProblem("postgresql://ghfe:hunter2@db/ghfe?sslmode=often");
        Assert.Contains("sslmode \"often\"", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_refuses_names_where_it_looked()
    {
        var problem = await StartupProblem($"postgresql://postgres:hunter2@127.0.0.1:{cluster.Server.Port}/no_such_database");
        Assert.StartsWith($"cannot prepare schema staging in PostgreSQL at 127.0.0.1:{cluster.Server.Port}/no_such_database as postgres", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_does_not_stop_start_up()
    {
        await using var ghfe = await GhfeServer.StartAsync("postgresql://ghfe:hunter2@127.0.0.1:1/ghfe?connect_timeout=2");
        using var ready = await ghfe.Client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Contains("database: down", body, StringComparison.Ordinal);
        Assert.Contains("writable", body, StringComparison.Ordinal);
        // Why it is down, in people's words: not an exception's type name.
        Assert.Contains("database: down (Connection refused)\n", body, StringComparison.Ordinal);
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task A_port_already_taken_is_one_line_and_exit_code_2()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, lines) = await GhfeProcess.RunToExitAsync(await cluster.CreateDatabaseAsync(), port);

        Assert.Equal(2, exitCode);
        Assert.Contains($"ghfe: cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use", lines);
        Assert.DoesNotContain(lines, line => line.Contains("Unhandled exception", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_PROD_value()
    {
        var problem = await StartupProblem(await cluster.CreateDatabaseAsync(), ("PROD", "yes please"));
        Assert.Equal("PROD must be true or false (got \"yes please\")", problem);
    }
}
