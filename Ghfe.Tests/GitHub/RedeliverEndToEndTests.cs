using System.Diagnostics;
using System.Security.Cryptography;
using Ghfe.GitHub;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.GitHub;

/// <summary>
/// <c>ghfe redeliver</c> against a stub GitHub API (a real HTTP server that checks the App JWT)
/// and a real ghfe on a real PostgreSQL: failed deliveries are asked for again, re-sent by the
/// stub as GitHub does, and stored.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class RedeliverEndToEndTests(PostgresCluster cluster, ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private StubGitHub? _github;
    private GhfeServer? _ghfe;
    private string _database = string.Empty;

    private StubGitHub GitHub => _github!;

    public async Task InitializeAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _github = await StubGitHub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_ghfe is not null)
        {
            await _ghfe.DisposeAsync();
        }

        await GitHub.DisposeAsync();
    }

    private static byte[] Queued(long jobId, string action = "queued")
    {
        var payload = Payloads.Queued(owner: 42, ownerLogin: "someone", repository: "someone/project");
        payload["action"] = action;
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    private static TimeSpan Hours(double hours) => TimeSpan.FromHours(hours);

    /// <summary>ghfe, up: GitHub's deliveries reach it from now on.</summary>
    private async Task StartGhfeAsync()
    {
        _ghfe = await GhfeServer.StartAsync(_database);
        GitHub.Target = _ghfe.Address;
    }

    private async Task<(int Code, string Output, string Errors)> RedeliverAsync(string[] args, string? key = null, string? orgId = null, string? personalKey = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GHAPP_ORG_PRIVATE_KEY"] = key ?? GitHub.PrivateKeyPem,
            ["GHAPP_ORG_ID"] = orgId,
            ["GHAPP_PERSONAL_PRIVATE_KEY"] = personalKey,
            ["GITHUB_API_URL"] = GitHub.ApiUrl,
        };
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await RedeliverCommand.RunAsync(args, name => environment.GetValueOrDefault(name), output, errors, TimeProvider.System, longestWait: TimeSpan.FromSeconds(5));
        log.WriteLine($"$ ghfe redeliver {string.Join(' ', args)}   → exit {code}\n{output}{errors}");
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>
    /// The deliveries of a day with an outage: four jobs queued while ghfe was down (no answer),
    /// one that failed and then succeeded when redelivered by hand, one delivered fine, a ping
    /// that failed, a job older than the window, one redelivered (and failed again) ten minutes
    /// ago, and four more from before the window to page through.
    /// </summary>
    private async Task<string> SeedAnOutageAsync()
    {
        // ghfe down: nothing listens where GitHub sends.
        GitHub.Target = new Uri($"http://127.0.0.1:{GhfeProcess.FreePort()}/");
        foreach (var (job, ago) in new[] { (501L, Hours(3)), (502, Hours(2)), (503, Hours(1)), (504, TimeSpan.FromMinutes(10)) })
        {
            Assert.Equal(0, (await GitHub.DeliverAsync("workflow_job", Queued(job), Now - ago)).StatusCode);
        }

        var handRedelivered = await GitHub.DeliverAsync("workflow_job", Queued(505), Now - Hours(4));
        Assert.Equal(0, handRedelivered.StatusCode);
        GitHub.Record("ping", Payloads.Bytes("ping.json"), Now - Hours(2), 0);
        GitHub.Record("workflow_job", Queued(507), Now - Hours(30), 0);
        var waiting = GitHub.Record("workflow_job", Queued(508), Now - Hours(6), 0);
        GitHub.Record("workflow_job", Queued(508), Now - TimeSpan.FromMinutes(10), 0, waiting.Guid, redelivery: true);
        foreach (var job in new[] { 509L, 510, 511, 512 })
        {
            GitHub.Record("workflow_job", Queued(job), Now - Hours(30 + job - 500), 0);
        }

        // ghfe up again.
        await StartGhfeAsync();
        Assert.Equal(200, (await GitHub.DeliverAsync("workflow_job", Queued(505), Now - Hours(3.5), handRedelivered.Guid, redelivery: true)).StatusCode);
        Assert.Equal(200, (await GitHub.DeliverAsync("workflow_job", Queued(506), Now - Hours(5))).StatusCode);
        return waiting.Guid;
    }

    [Fact]
    public async Task Ghfe_down_then_up_redeliver_stores_the_failed_jobs_and_a_second_run_asks_nothing()
    {
        var waiting = await SeedAnOutageAsync();
        Assert.Equal([505, 506], (await Rows.JobsAsync(_database)).Select(r => r.JobId));

        var listed = GitHub.Attempts.Count;
        var clock = Stopwatch.StartNew();
        var (code, output, errors) = await RedeliverAsync([]);
        var firstRun = clock.Elapsed;

        Assert.Equal((0, string.Empty), (code, errors));
        Assert.Equal(4, GitHub.Posts.Count);
        Assert.Equal(4, output.Split('\n').Count(line => line.StartsWith("asked ", StringComparison.Ordinal) && line.Contains("workflow_job.queued job 50", StringComparison.Ordinal) && line.Contains(" someone/project (attempt ", StringComparison.Ordinal)));
        Assert.DoesNotContain(waiting, output, StringComparison.Ordinal);
        Assert.Contains(
            $"org App {StubGitHub.AppId}: examined 7 workflow_job deliveries, 2 already succeeded, 1 waiting (redelivered recently), asked for 4, failed to ask 0",
            output,
            StringComparison.Ordinal);
        Assert.Equal([501, 502, 503, 504, 505, 506], (await Rows.JobsAsync(_database)).Select(r => r.JobId));
        Assert.All(await Rows.JobsAsync(_database), row => Assert.Equal("pending", row.Status));
        Assert.Equal(4, GitHub.PagesServed);
        Assert.Empty(GitHub.TokenProblems);

        var pagesBefore = GitHub.PagesServed;
        (code, output, errors) = await RedeliverAsync([]);

        Assert.Equal((0, string.Empty), (code, errors));
        Assert.Equal(4, GitHub.Posts.Count);
        Assert.Contains("examined 7 workflow_job deliveries, 6 already succeeded, 1 waiting (redelivered recently), asked for 0, failed to ask 0", output, StringComparison.Ordinal);
        Assert.Equal(6, (await Rows.JobsAsync(_database)).Count);
        log.WriteLine($"numbers: {GitHub.Attempts.Count} attempts listed after both runs, {pagesBefore} pages read on the first run (of {(listed + 2) / 3} for its {listed} attempts), "
            + $"4 redeliveries asked, 6 jobs stored (2 before), first run {firstRun.TotalMilliseconds:F0} ms, second run asked 0");
    }

    [Fact]
    public async Task Dry_run_lists_what_it_would_ask_and_asks_nothing()
    {
        await SeedAnOutageAsync();

        var (code, output, _) = await RedeliverAsync(["--dry-run"]);

        Assert.Equal(0, code);
        Assert.Empty(GitHub.Posts);
        Assert.Equal(4, output.Split('\n').Count(line => line.StartsWith("would ask ", StringComparison.Ordinal)));
        Assert.Contains("would ask for 4 (dry run)", output, StringComparison.Ordinal);
        Assert.Equal(2, (await Rows.JobsAsync(_database)).Count);
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task The_built_binary_runs_redeliver_from_the_command_line()
    {
        await SeedAnOutageAsync();
        var (code, output, errors) = await BuiltRedeliver.RunAsync(
            ["--dry-run"],
            new Dictionary<string, string?>
            {
                ["GHAPP_ORG_PRIVATE_KEY"] = GitHub.PrivateKeyPem,
                ["GITHUB_API_URL"] = GitHub.ApiUrl,
                ["GHAPP_PERSONAL_PRIVATE_KEY"] = null,
                ["GHAPP_ORG_ID"] = null,
            },
            TimeSpan.FromSeconds(60));
        log.WriteLine($"$ ghfe redeliver --dry-run   → exit {code}\n{output}{errors}");

        Assert.Equal((0, string.Empty), (code, errors));
        Assert.Equal(4, output.Split('\n').Count(line => line.StartsWith("would ask ", StringComparison.Ordinal)));
        Assert.Contains("org App 2167633: examined 7 workflow_job deliveries, 2 already succeeded, 1 waiting (redelivered recently), would ask for 4 (dry run)", output, StringComparison.Ordinal);
        Assert.Empty(GitHub.Posts);
    }

    [Fact]
    public async Task Max_and_since_narrow_the_run()
    {
        await SeedAnOutageAsync();

        var (code, output, _) = await RedeliverAsync(["--max", "1", "--since", "150m"]);

        Assert.Equal(0, code);
        Assert.Single(GitHub.Posts);
        Assert.Contains("examined 3 workflow_job deliveries, 0 already succeeded, 0 waiting (redelivered recently), asked for 1, failed to ask 0, 2 left for the next run (--max)", output, StringComparison.Ordinal);
        Assert.Equal([502, 505, 506], (await Rows.JobsAsync(_database)).Select(r => r.JobId));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_401_and_said_in_one_line()
    {
        await SeedAnOutageAsync();
        using var other = RSA.Create(2048);

        var (code, output, errors) = await RedeliverAsync([], key: other.ExportPkcs8PrivateKeyPem());

        Assert.Equal(1, code);
        Assert.Equal($"org App {StubGitHub.AppId}: GitHub refused the App's token (401 A JSON web token could not be decoded): check the App id and its private key", errors.Trim());
        Assert.Equal(string.Empty, output);
        Assert.Empty(GitHub.Posts);
        Assert.NotEmpty(GitHub.TokenProblems);
    }

    [Fact]
    public async Task A_token_for_another_app_id_is_refused_too()
    {
        await SeedAnOutageAsync();

        var (code, _, errors) = await RedeliverAsync([], orgId: "1234");

        Assert.Equal(1, code);
        Assert.Contains("org App 1234: GitHub refused the App's token (401", errors, StringComparison.Ordinal);
        Assert.Contains(GitHub.TokenProblems, problem => problem.Contains("issuer", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Each_configured_app_runs_on_its_own_and_one_refused_fails_the_run()
    {
        await SeedAnOutageAsync();

        // The stub serves the org App only: the personal App's token (iss 3131217) is refused.
        var (code, output, errors) = await RedeliverAsync([], personalKey: GitHub.PrivateKeyPem);

        Assert.Equal(1, code);
        Assert.Contains($"org App {StubGitHub.AppId}: examined 7 workflow_job deliveries, 2 already succeeded, 1 waiting (redelivered recently), asked for 4, failed to ask 0", output, StringComparison.Ordinal);
        Assert.Equal("personal App 3131217: GitHub refused the App's token (401 A JSON web token could not be decoded): check the App id and its private key", errors.Trim());
        Assert.Equal(4, GitHub.Posts.Count);
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task A_short_429_is_waited_out_and_everything_goes_through()
    {
        await SeedAnOutageAsync();
        GitHub.Refuse(429, "1");

        var (code, output, errors) = await RedeliverAsync([]);

        Assert.Equal((0, string.Empty), (code, errors));
        Assert.Contains("rate limited (429, Retry-After 1 s): waiting 1 s", output, StringComparison.Ordinal);
        Assert.Equal(4, GitHub.Posts.Count);
        Assert.Equal(6, (await Rows.JobsAsync(_database)).Count);
    }

    [Fact]
    public async Task A_long_429_stops_the_run_cleanly_and_says_so()
    {
        await SeedAnOutageAsync();
        GitHub.Refuse(429, "3600");

        var (code, output, errors) = await RedeliverAsync([]);

        Assert.Equal(1, code);
        Assert.Equal(
            $"org App {StubGitHub.AppId}: rate limited (429, Retry-After 3600 s): GitHub asks to wait 3600 s, more than this run waits (5 s); stopping here, the next run takes up what is left",
            errors.Trim());
        Assert.Empty(GitHub.Posts);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task A_403_with_no_requests_left_mid_run_stops_after_what_went_through()
    {
        await SeedAnOutageAsync();

        // Four pages, then the first redelivery (its payload read, then asked for); the next request is refused.
        GitHub.Refuse(403, null, after: 6);
        var (code, output, errors) = await RedeliverAsync([]);

        Assert.Equal(1, code);
        Assert.Single(GitHub.Posts);
        Assert.Contains("asked for 1, failed to ask 0", output, StringComparison.Ordinal);
        Assert.Contains("rate limited (403, no requests left until ", errors, StringComparison.Ordinal);
        Assert.Contains("stopping here, the next run takes up what is left", errors, StringComparison.Ordinal);
        Assert.Equal([501, 505, 506], (await Rows.JobsAsync(_database)).Select(r => r.JobId));

        // The limit over, the next run takes up the other three.
        (code, output, _) = await RedeliverAsync([]);

        Assert.Equal(0, code);
        Assert.Contains("3 already succeeded, 1 waiting (redelivered recently), asked for 3, failed to ask 0", output, StringComparison.Ordinal);
        Assert.Equal([501, 502, 503, 504, 505, 506], (await Rows.JobsAsync(_database)).Select(r => r.JobId));
    }

    [Fact]
    public async Task A_refused_redelivery_fails_the_run_and_the_others_still_go_through()
    {
        await SeedAnOutageAsync();
        var refused = GitHub.Attempts.Single(a => a.Action == "queued" && a.StatusCode == 0 && !a.Redelivery && a.DeliveredAt == Now - Hours(3));
        GitHub.Refused.Add(refused.Id);

        var (code, output, errors) = await RedeliverAsync([]);

        Assert.Equal(1, code);
        Assert.Equal($"org App {StubGitHub.AppId}: GitHub refused to redeliver {refused.Guid} (attempt {refused.Id}): 422 Validation Failed", errors.Trim());
        Assert.Contains("asked for 3, failed to ask 1", output, StringComparison.Ordinal);
        Assert.Equal([502, 503, 504, 505, 506], (await Rows.JobsAsync(_database)).Select(r => r.JobId));
    }
}
