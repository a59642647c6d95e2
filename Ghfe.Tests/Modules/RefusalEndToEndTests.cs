using System.Diagnostics;
using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>
/// A real prod ghfe with the control plane's routing file, a staging entity banned on top, and a
/// stub staging that counts what reaches it: bans and repositories that are not public are
/// answered before staging, installation events are logged, /routing shows the bans.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RefusalEndToEndTests(PostgresCluster cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const long StagingEntity = 277861810;
    private const long Luhenry = 660779;
    private const long BannedSender = 13410920;

    private string _database = string.Empty;
    private string _config = string.Empty;
    private StubStaging? _staging;
    private GhfeServer? _ghfe;

    private GhfeServer Ghfe => _ghfe!;

    private StubStaging Staging => _staging!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _config = Path.Combine(Path.GetTempPath(), $"ghfe-refusals-{Guid.NewGuid():N}.json");

        // The control plane's file, with its staging entity banned and luhenry's repositories sent to staging instead.
        var file = (await File.ReadAllTextAsync(ControlPlaneRouting.Path))
            .Replace("\"banned_entities\": [325883364, 325940811]", $"\"banned_entities\": [325883364, 325940811, {StagingEntity}]", StringComparison.Ordinal)
            .Replace("{ \"id\": 660779, \"login\": \"luhenry\", \"max_workers\": 40 }", "{ \"id\": 660779, \"login\": \"luhenry\", \"max_workers\": 40, \"staging\": true }", StringComparison.Ordinal);
        Assert.Contains($"{StagingEntity}]", file, StringComparison.Ordinal);
        Assert.Contains("\"staging\": true }", file, StringComparison.Ordinal);
        await File.WriteAllTextAsync(_config, file);

        _staging = await StubStaging.StartAsync(TimeSpan.Zero);
        _ghfe = await GhfeServer.StartAsync(
            _database, prod: true, ("STAGING_URL", Staging.Address.ToString()), ("GHFE_CONFIG", _config), ("GHFE_PAGES_PUBLIC", "true"));
    }

    public async Task DisposeAsync()
    {
        await Ghfe.DisposeAsync();
        await Staging.DisposeAsync();
        File.Delete(_config);
    }

    private static byte[] Job(long jobId, long owner, string repository, Action<JsonObject>? edit = null)
    {
        var payload = Payloads.Queued(owner: owner, ownerLogin: repository.Split('/')[0], repository: repository);
        payload["workflow_job"]!["id"] = jobId;
        edit?.Invoke(payload);
        return Payloads.Serialize(payload);
    }

    [Fact]
    public async Task A_banned_staging_entity_is_answered_here_and_never_forwarded()
    {
        // The forwarding path is live: an entity marked staging that is not banned reaches the stub.
        Assert.Equal((200, "stub staging"), await Ghfe.DeliverAsync("workflow_job", Job(9_300_001, Luhenry, "luhenry/anything")));
        Assert.Equal(1, Staging.Received);

        Assert.Equal((200, "Ignoring job: entity is banned"), await Ghfe.DeliverAsync("workflow_job", Job(9_300_002, StagingEntity, "riseproject-staging/riscv-runner"), "banned-delivery-9300002"));
        var waiting = Job(9_300_002, StagingEntity, "riseproject-staging/riscv-runner", payload => payload["action"] = "waiting");
        Assert.Equal((200, "Ignoring job: entity is banned"), await Ghfe.DeliverAsync("workflow_job", waiting));

        Assert.Equal(1, Staging.Received);
        Assert.Empty(await Rows.JobsAsync(_database, "prod"));
        Assert.Equal(["banned_entity", "banned_entity"], await OutcomesAsync(9_300_002, count: 2));

        var page = await Ghfe.Client.GetStringAsync("/jobs/9300002");
        Assert.Contains("Not run: refused before routing, its owner or its sender is banned", page, StringComparison.Ordinal);
        Assert.Contains("Why it was refused", page, StringComparison.Ordinal);
        Assert.Contains($"refused before routing: owner {StagingEntity} is banned (banned_entities)", page, StringComparison.Ordinal);
        var delivery = await Ghfe.Client.GetStringAsync("/deliveries/banned-delivery-9300002");
        Assert.Contains($"refused before routing: owner {StagingEntity} is banned (banned_entities)", delivery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_banned_sender_and_a_repository_that_is_not_public_get_no_row()
    {
        var bySender = Job(9_300_011, 42, "someone/project", payload => payload["sender"]!["id"] = BannedSender);
        var hidden = Job(9_300_012, 42, "someone/project", payload => payload["repository"]!["visibility"] = "private");
        var unsaid = Job(9_300_013, 42, "someone/project", payload => payload["repository"]!.AsObject().Remove("visibility"));

        Assert.Equal((200, "Ignoring job: sender is banned"), await Ghfe.DeliverAsync("workflow_job", bySender));
        Assert.Equal((200, "Ignoring job: repository is not public"), await Ghfe.DeliverAsync("workflow_job", hidden));
        Assert.Equal((200, "Ignoring job: repository is not public"), await Ghfe.DeliverAsync("workflow_job", unsaid));
        Assert.Equal((200, "Job 9300014 stored."), await Ghfe.DeliverAsync("workflow_job", Job(9_300_014, 42, "someone/project")));

        var row = Assert.Single(await Rows.JobsAsync(_database, "prod"));
        Assert.Equal((9_300_014L, "scaleway-em-rv1", "ghcr.io/riseproject-dev/riscv-runner/runner/ubuntu-24.04:prod"), (row.JobId, row.K8sPool, row.K8sImage));
        Assert.Equal(["not_public"], await OutcomesAsync(9_300_012, count: 1));
        Assert.Equal(0, Staging.Received);

        var page = await Ghfe.Client.GetStringAsync("/jobs/9300012");
        Assert.Contains("Not run: its repository is not public", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installation_events_are_answered_logged()
    {
        Assert.Equal((200, "installation.created logged"), await Ghfe.DeliverAsync("installation", InstallationPayloads.Installation("created", 71, 152654596, "riseproject-dev")));
        Assert.Equal(
            (200, "installation_repositories.removed logged"),
            await Ghfe.DeliverAsync("installation_repositories", InstallationPayloads.Installation("removed", 71, 152654596, "riseproject-dev", repositories: true)));
        Assert.Equal((200, "installation_target.renamed logged"), await Ghfe.DeliverAsync("installation_target", InstallationPayloads.Target(71, 21003710, "pytorch")));
        Assert.Equal(0, Staging.Received);

        var scrape = await Ghfe.Client.GetStringAsync("/metrics");
        Assert.Contains("ghfe_deliveries_total{event=\"installation\",action=\"created\",outcome=\"installation_logged\",github_app=\"-\"}", scrape, StringComparison.Ordinal);
        Assert.Contains("ghfe_deliveries_total{event=\"installation_target\",action=\"renamed\",outcome=\"installation_logged\",github_app=\"-\"}", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_shows_the_bans_and_explains_a_banned_owner()
    {
        var page = await Ghfe.Client.GetStringAsync("/routing");
        var explained = await Ghfe.Client.GetStringAsync($"/routing/explain.json?owner={StagingEntity}&repo=riseproject-staging/x&labels=ubuntu-24.04-riscv");
        var sender = await Ghfe.Client.GetStringAsync($"/routing/explain?owner=42&repo=someone/project&labels=ubuntu-24.04-riscv&sender={BannedSender}");

        Assert.Contains("Refused before routing", page, StringComparison.Ordinal);
        Assert.Contains($"riseproject-staging ({StagingEntity})", page, StringComparison.Ordinal);
        Assert.Contains("<code class=\"label\"><span>13410920</span></code>", page, StringComparison.Ordinal);
        Assert.Contains("Repositories that are not public</th><td>refused", page, StringComparison.Ordinal);
        Assert.Contains("falls through to the next rule when no route matches", page, StringComparison.Ordinal);
        Assert.Contains("(provider mengzhuo)", page, StringComparison.Ordinal);
        Assert.Contains("all of its repositories", page, StringComparison.Ordinal);
        Assert.Contains("<input name=\"sender\"", page, StringComparison.Ordinal);
        Assert.Contains("<select name=\"visibility\">", page, StringComparison.Ordinal);
        Assert.Contains($"\"refused\": \"owner {StagingEntity} is banned (banned_entities)\"", explained, StringComparison.Ordinal);
        Assert.Contains("No runner: refused before routing", sender, StringComparison.Ordinal);
        Assert.Contains("sender 13410920 is banned (banned_senders)", sender, StringComparison.Ordinal);
    }

    /// <summary>The delivery log's outcomes for a job, once <paramref name="count"/> rows are there (the log is written in batches).</summary>
    private async Task<string[]> OutcomesAsync(long jobId, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT outcome FROM prod.deliveries WHERE job_id = $1 ORDER BY received_at", connection) { Parameters = { new() { Value = jobId } } };
            var outcomes = new List<string>();
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    outcomes.Add(reader.GetString(0));
                }
            }

            if (outcomes.Count >= count || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                output.WriteLine($"{outcomes.Count} delivery-log rows for job {jobId} after {clock.ElapsedMilliseconds} ms");
                return [.. outcomes];
            }

            await Task.Delay(50);
        }
    }
}
