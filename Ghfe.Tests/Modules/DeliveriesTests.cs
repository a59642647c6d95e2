using System.Net;
using System.Text.Json;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Modules;

/// <summary>Every signed delivery leaves a row in the delivery log (unsigned ones: UnsignedNoiseTests), and /deliveries shows why a job got no runner.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveriesTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    private async Task<JsonElement[]> LoggedAsync(int atLeast, string query = "")
    {
        for (var attempt = 0; ; attempt++)
        {
            using var json = JsonDocument.Parse(await Ghfe.Client.GetStringAsync("/deliveries.json" + query));
            var rows = json.RootElement.GetProperty("deliveries").EnumerateArray().Select(e => e.Clone()).ToArray();
            if (rows.Length >= atLeast || attempt > 50)
            {
                return rows;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Each_kind_of_outcome_leaves_its_row()
    {
        var routed = Payloads.Queued(owner: 42, ownerLogin: "someone", repository: "someone/project");
        await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(routed), "d-stored");
        await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(routed), "d-duplicate");
        await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(["ubuntu-26.04-riscv"], 42, "someone", repository: "someone/project")), "d-ignored");
        await Ghfe.DeliverAsync("ping", Payloads.Bytes("ping.json"), "d-ping");
        await Ghfe.DeliverAsync("workflow_job", "{broken"u8.ToArray(), "d-invalid");

        var rows = (await LoggedAsync(5)).ToDictionary(r => r.GetProperty("delivery_id").GetString()!, r => r);

        Assert.Equal(
            [("d-duplicate", "already_exists", 200), ("d-ignored", "no_matching_rule", 200),
             ("d-invalid", "invalid_payload", 400), ("d-ping", "ping", 200), ("d-stored", "stored", 200)],
            rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value.GetProperty("outcome").GetString(), r.Value.GetProperty("status").GetInt32())));
        Assert.Equal("someone/project", rows["d-ignored"].GetProperty("repository").GetString());
        Assert.Equal("ubuntu-26.04-riscv", rows["d-ignored"].GetProperty("labels")[0].GetString());
    }

    [Fact]
    public async Task Ignored_label_sets_are_counted_and_filterable()
    {
        for (var i = 0; i < 3; i++)
        {
            var payload = Payloads.Queued(["ubuntu-26.04-riscv"], 42, "someone", repository: "someone/project");
            payload["workflow_job"]!["id"] = 500 + i;
            await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload), $"ignored-{i}");
        }

        await LoggedAsync(3);
        using var json = JsonDocument.Parse(await Ghfe.Client.GetStringAsync("/deliveries.json?outcome=no_matching_rule&label=ubuntu-26.04-riscv"));
        var ignored = json.RootElement.GetProperty("ignored")[0];
        var html = await Ghfe.Client.GetStringAsync("/deliveries?owner=someone");

        Assert.Equal(3, ignored.GetProperty("deliveries").GetInt32());
        Assert.Equal("ubuntu-26.04-riscv", ignored.GetProperty("labels")[0].GetString());
        Assert.Equal(3, json.RootElement.GetProperty("deliveries").GetArrayLength());
        Assert.Contains("Ignored: labels no rule routes", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/routing/explain?owner=42&amp;repo=someone%2Fproject&amp;labels=ubuntu-26.04-riscv\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_filter_ignores_case_and_the_outcome_is_a_choice_of_the_known_ones()
    {
        await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(["ubuntu-26.04-riscv"], 42, "someone", repository: "someone/project")), "d-case");
        await LoggedAsync(1);

        using var json = JsonDocument.Parse(await Ghfe.Client.GetStringAsync("/deliveries.json?owner=SomeOne&outcome=no_matching_rule"));
        var html = await Ghfe.Client.GetStringAsync("/deliveries?owner=SOMEONE&outcome=no_matching_rule");

        Assert.Equal("d-case", Assert.Single(json.RootElement.GetProperty("deliveries").EnumerateArray()).GetProperty("delivery_id").GetString());
        Assert.Contains("d-case", html, StringComparison.Ordinal);
        Assert.Contains("<select name=\"outcome\"><option value=\"\">any</option><option>too_large</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option selected>no_matching_rule</option>", html, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcomes.All.Count, html.Split("<option").Length - 2);
    }

    [Fact]
    public async Task A_bad_parameter_is_a_400_naming_it()
    {
        using var response = await Ghfe.Client.GetAsync("/deliveries?per_page=9000");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Bad request: per_page must be", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outcome_filter_no_delivery_can_have_is_a_400_naming_the_known_ones()
    {
        using var response = await Ghfe.Client.GetAsync("/deliveries?outcome=nothing_like_it");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Bad request: unknown outcome \"nothing_like_it\" (known: too_large, ", text, StringComparison.Ordinal);
        Assert.Contains(", no_matching_rule, banned_entity, not_public, ping, installation_logged, stored, ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown,", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_whose_outcome_this_version_does_not_name_is_shown_as_unknown()
    {
        await Rows.ExecuteAsync(Database, """
            INSERT INTO staging.deliveries (delivery_id, received_at, outcome, status, elapsed_ms)
            VALUES ('older', now() - interval '1 minute', 'database_unavailable', 503, 1), ('named', now(), 'spooled', 202, 1)
            """);

        using var json = JsonDocument.Parse(await Ghfe.Client.GetStringAsync("/deliveries.json"));
        using var html = await Ghfe.Client.GetAsync("/deliveries");

        Assert.Equal(
            [("named", "spooled"), ("older", "unknown")],
            json.RootElement.GetProperty("deliveries").EnumerateArray().Select(d => (d.GetProperty("delivery_id").GetString(), d.GetProperty("outcome").GetString())));
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
    }

    [Fact]
    public async Task Rows_past_the_retention_are_pruned()
    {
        await Rows.ExecuteAsync(Database, """
            INSERT INTO staging.deliveries (delivery_id, received_at, outcome, status, elapsed_ms)
            VALUES ('old', now() - interval '15 days', 'stored', 200, 1), ('recent', now() - interval '13 days', 'stored', 200, 1)
            """);
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Database + ";Search Path=staging");
        var state = new Ghfe.Store.DatabaseState();
        state.MarkSchemaReady();
        var log = new Ghfe.Store.DeliveryLog(dataSource, state, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Ghfe.Store.DeliveryLog>.Instance, TimeSpan.FromDays(14));

        Assert.Equal(1, await log.PruneAsync(CancellationToken.None));
        using var json = JsonDocument.Parse(await Ghfe.Client.GetStringAsync("/deliveries.json?start=-30d"));
        Assert.Equal(["recent"], json.RootElement.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("delivery_id").GetString()));
    }
}
