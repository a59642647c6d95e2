using System.Net;
using System.Net.Sockets;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Embedded;

/// <summary>
/// ghfes started in one directory with POSTGRES_URL unset share its embedded PostgreSQL: none
/// takes it from another, the last one out stops it, and a start that fails leaves nothing
/// running. Real processes, as a newcomer runs them.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class SharedEmbeddedPostgresTests : IDisposable
{
    // Not CreateTempSubdirectory: its 0700 would keep the postgres user out.
    private readonly string _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"ghfe-shared-{Guid.NewGuid():N}")).FullName;

    private string DataDirectory => Path.Combine(_directory, ".ghfe", "postgres");

    [Fact]
    public async Task Two_ghfes_share_one_cluster_and_the_last_one_out_stops_it()
    {
        await using var first = await GhfeProcess.StartEmbeddedAsync(_directory);
        await using var second = await GhfeProcess.StartEmbeddedAsync(_directory);

        // Both take deliveries, into the same database.
        Assert.Equal((200, "Job 71000001 stored."), await first.DeliverAsync("workflow_job", DeliveryStream.Queued(71_000_001)));
        Assert.Equal((200, "Job 71000002 stored."), await second.DeliverAsync("workflow_job", DeliveryStream.Queued(71_000_002)));
        Assert.Equal((200, "Job 71000001 already exists."), await second.DeliverAsync("workflow_job", DeliveryStream.Queued(71_000_001)));
        Assert.Contains(second.Lines, line => line.Contains("embedded PostgreSQL joined", StringComparison.Ordinal) && line.Contains("shared with 1 other ghfe", StringComparison.Ordinal));
        Assert.Contains(first.Lines, line => line.EndsWith("Hosting environment: Staging", StringComparison.Ordinal)); // PROD is not true

        // A third on the first one's port fails to listen: it leaves the cluster to the two.
        var (clashCode, clashLines) = await GhfeProcess.RunToExitAsync(string.Empty, first.Address.Port, _directory);
        Assert.Equal(2, clashCode);
        Assert.Contains(clashLines, line => line.Contains("embedded PostgreSQL left running", StringComparison.Ordinal));
        Assert.Equal((200, "Job 71000003 stored."), await first.DeliverAsync("workflow_job", DeliveryStream.Queued(71_000_003)));

        // The first stops; the second keeps its database (no 202 spooled) and is still ready.
        Assert.Equal(0, await first.StopAsync());
        Assert.Contains(first.Lines, line => line.Contains("embedded PostgreSQL left running", StringComparison.Ordinal));
        Assert.NotEmpty(PostgresProcesses());
        Assert.Equal((200, "Job 71000004 stored."), await second.DeliverAsync("workflow_job", DeliveryStream.Queued(71_000_004)));
        Assert.Contains("database: up", await second.Client.GetStringAsync("/health/ready"), StringComparison.Ordinal);

        // The last one out stops it.
        Assert.Equal(0, await second.StopAsync());
        Assert.Contains(second.Lines, line => line.Contains("embedded PostgreSQL stopped", StringComparison.Ordinal));
        Assert.Empty(PostgresProcesses());
    }

    [Fact]
    public async Task A_cluster_whose_ghfe_died_is_adopted_with_its_data_and_stopped_by_its_new_ghfe()
    {
        var crashed = await GhfeProcess.StartEmbeddedAsync(_directory);
        Assert.Equal((200, "Job 72000001 stored."), await crashed.DeliverAsync("workflow_job", DeliveryStream.Queued(72_000_001)));
        crashed.Crash();
        await crashed.DisposeAsync();
        Assert.NotEmpty(PostgresProcesses()); // SIGKILL: nothing stopped it

        await using var adopter = await GhfeProcess.StartEmbeddedAsync(_directory);

        Assert.Contains(adopter.Lines, line => line.Contains("embedded PostgreSQL adopted", StringComparison.Ordinal));
        Assert.Equal((200, "Job 72000001 already exists."), await adopter.DeliverAsync("workflow_job", DeliveryStream.Queued(72_000_001)));
        Assert.Equal(0, await adopter.StopAsync());
        Assert.Empty(PostgresProcesses());
    }

    [Fact]
    public async Task A_port_clash_prints_one_line_and_leaves_no_postgres_behind()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, lines) = await GhfeProcess.RunToExitAsync(string.Empty, port, _directory);

        var said = string.Join(Environment.NewLine, lines);
        Assert.True(exitCode == 2, said);
        Assert.Equal($"ghfe: cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use", Assert.Single(lines, line => line.StartsWith("ghfe:", StringComparison.Ordinal)));
        Assert.False(lines.Any(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) || line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal)), said);
        Assert.True(lines.Any(line => line.Contains("embedded PostgreSQL stopped", StringComparison.Ordinal)), said);
        Assert.Empty(PostgresProcesses());
    }

    [Fact]
    public async Task Help_starts_nothing()
    {
        var (exitCode, lines) = await GhfeProcess.RunCommandAsync(_directory, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains(lines, line => line.Contains("ghfe check-config", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_directory, ".ghfe")), "--help made .ghfe: it started something");
        Assert.Empty(PostgresProcesses());
    }

    /// <summary>The PostgreSQL processes running on this test's data directory.</summary>
    private List<int> PostgresProcesses()
    {
        var marker = $"-D\0{DataDirectory}\0";
        var found = new List<int>();
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }

        return found;
    }

    public void Dispose()
    {
        // A failed test may leave its cluster running: stop it (only this test's), then remove the directory.
        foreach (var pid in PostgresProcesses())
        {
            try
            {
                using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
                postmaster.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        Directory.Delete(_directory, recursive: true);
    }
}
