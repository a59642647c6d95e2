using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Xunit.Abstractions;

namespace Ghfe.Tests.Setup;

/// <summary>
/// A real ghfe process told its two App ids: jobs delivered through the wrong App (or an App it
/// does not know) are stored as any other, and /jobs/{id}, /deliveries and /deliveries/{id} say
/// what to install; ghfe_deliveries_total counts them by github_app.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class WrongAppEndToEndTests(PostgresCluster cluster, ITestOutputHelper log)
{
    private const long OrgApp = 1111;
    private const long PersonalApp = 2222;

    private static byte[] Queued(long jobId, long owner, string login, string type)
    {
        var payload = Payloads.Queued(owner: owner, ownerLogin: login, type: type, repository: $"{login}/project");
        payload["workflow_job"]!["id"] = jobId;
        return Payloads.Serialize(payload);
    }

    private static (string, string)[] From(long app) =>
        [(AppFits.TargetTypeHeader, "integration"), (Headers.AppId, app.ToString(CultureInfo.InvariantCulture))];

    [Fact]
    public async Task A_job_through_the_wrong_App_is_stored_and_its_pages_say_what_to_install()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database, ("GHAPP_ORG_ID", "1111"), ("GHAPP_PERSONAL_ID", "2222"));

        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Queued(9001, 77, "alice", "User"), "d-9001", From(OrgApp))).Status);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Queued(9002, 78, "acme", "Organization"), "d-9002", From(PersonalApp))).Status);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Queued(9003, 79, "other", "Organization"), "d-9003", From(3333))).Status);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Queued(9004, 80, "fine", "Organization"), "d-9004", From(OrgApp))).Status);
        Assert.Equal(200, (await ghfe.DeliverAsync("workflow_job", Queued(9005, 81, "hook", "User"), "d-9005")).Status);

        // The delivery log writes off the answer's path: wait for its rows.
        var waited = Stopwatch.StartNew();
        while (JsonNode.Parse(await ghfe.Client.GetStringAsync("/deliveries.json"))!["deliveries"]!.AsArray().Count < 5)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the delivery log did not write the five deliveries");
            await Task.Delay(50);
        }

        var alice = await ghfe.Client.GetStringAsync("/jobs/9001");
        Assert.Contains("badge status-pending", alice, StringComparison.Ordinal);
        Assert.Contains("Wrong GitHub App: the organization App is installed on a personal account: install the personal App", alice, StringComparison.Ordinal);
        Assert.Contains("href=\"https://github.com/apps/rise-risc-v-runners-personal/installations/new\"", alice, StringComparison.Ordinal);

        var acme = await ghfe.Client.GetStringAsync("/jobs/9002");
        Assert.Contains("Wrong GitHub App: the personal App is installed on an organization: install the organization App", acme, StringComparison.Ordinal);
        Assert.Contains("href=\"https://github.com/apps/rise-risc-v-runners/installations/new\"", acme, StringComparison.Ordinal);

        Assert.Contains("unknown App 3333", await ghfe.Client.GetStringAsync("/jobs/9003"), StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong GitHub App", await ghfe.Client.GetStringAsync("/jobs/9004"), StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong GitHub App", await ghfe.Client.GetStringAsync("/jobs/9005"), StringComparison.Ordinal);

        var deliveries = await ghfe.Client.GetStringAsync("/deliveries");
        Assert.Contains("the organization App is installed on a personal account: install the personal App", deliveries, StringComparison.Ordinal);
        Assert.Contains("the personal App is installed on an organization: install the organization App", deliveries, StringComparison.Ordinal);
        Assert.Contains("unknown App 3333", deliveries, StringComparison.Ordinal);
        Assert.Contains("Wrong GitHub App: the organization App is installed on a personal account", await ghfe.Client.GetStringAsync("/deliveries/d-9001"), StringComparison.Ordinal);

        var json = JsonNode.Parse(await ghfe.Client.GetStringAsync("/jobs/9001.json"))!;
        Assert.Equal("wrong", json["deliveries"]![0]!["app"]!["fit"]!.GetValue<string>());
        Assert.Equal(OrgApp, json["deliveries"]![0]!["app_id"]!.GetValue<long>());

        var metrics = await ghfe.Client.GetStringAsync("/metrics");
        var counted = metrics.Split('\n').Where(line => line.StartsWith("ghfe_deliveries_total{", StringComparison.Ordinal)).ToList();
        log.WriteLine(string.Join('\n', counted));
        Assert.Contains("ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"stored\",github_app=\"wrong\"} 2", counted);
        Assert.Contains("ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"stored\",github_app=\"unknown\"} 1", counted);
        Assert.Contains("ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"stored\",github_app=\"right\"} 1", counted);
        Assert.Contains("ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"stored\",github_app=\"-\"} 1", counted);
        Assert.Contains(ghfe.Lines, line => line.Contains("github_app=wrong", StringComparison.Ordinal) && line.Contains("d-9001", StringComparison.Ordinal));
    }
}
