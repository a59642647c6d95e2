using System.Text.Json;
using System.Text.RegularExpressions;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Operations;

[Collection(PostgresCollection.Name)]
public sealed partial class ObservabilityTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Json_logs_carry_the_delivery_fields_apart()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database, ("GHFE_LOG_FORMAT", "json"));

        var (status, _) = await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()), "json-log-delivery");
        await Task.Delay(300);

        Assert.Equal(200, status);
        var line = Assert.Single(ghfe.Lines, l => l.Contains("json-log-delivery", StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(line);
        var state = entry.RootElement.GetProperty("State");
        Assert.Equal("Information", entry.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal(
            ("json-log-delivery", "workflow_job", "queued", "289782451", "stored"),
            (state.GetProperty("Delivery").GetString(), state.GetProperty("Event").GetString(), state.GetProperty("Action").GetString(),
             state.GetProperty("Job").GetString(), state.GetProperty("Outcome").GetString()));
        // Each named value a field of its own, and nothing else (a generated logger once added a "Message" of its own here).
        Assert.Equal(
            ["Delivery", "Event", "Action", "Job", "Outcome", "Status", "Elapsed", "Why", "{OriginalFormat}"],
            state.EnumerateObject().Select(property => property.Name));
        Assert.Contains(
            entry.RootElement.GetProperty("Scopes").EnumerateArray(),
            scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("DeliveryId", out var id) && id.GetString() == "json-log-delivery"
                && scope.GetProperty("Message").GetString() == "DeliveryId:json-log-delivery");
        Assert.All(ghfe.Lines.Where(l => l.StartsWith('{')), l => JsonDocument.Parse(l).Dispose());
        Assert.DoesNotContain(ghfe.Lines, l => l.Contains(Deliveries.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_logs_give_each_delivery_one_line_naming_it()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database);

        var (status, _) = await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()), "text-log-delivery");
        await Task.Delay(300);

        Assert.Equal(200, status);
        Assert.Matches(
            @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Ghfe\.Modules\.DeliveryRecorder\[0\] delivery=text-log-delivery event=workflow_job action=queued job=289782451 outcome=stored status=200 elapsed_ms=\d+\.\d why=-$",
            Assert.Single(ghfe.Lines, l => l.Contains("delivery=text-log-delivery", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Metrics_count_deliveries_by_outcome()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database);
        var body = Payloads.Serialize(Payloads.Queued());

        await ghfe.DeliverAsync("workflow_job", body);
        await ghfe.DeliverAsync("workflow_job", body);
        await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(labels: ["windows-latest"])));
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        forged.Headers.TryAddWithoutValidation("X-GitHub-Event", "workflow_job");
        forged.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        (await ghfe.Client.SendAsync(forged)).Dispose();
        var scrape = await ghfe.Client.GetStringAsync("/metrics");

        Assert.Equal(1, Sample(scrape, "ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"stored\"}"));
        Assert.Equal(1, Sample(scrape, "ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"already_exists\"}"));
        // A verified delivery that no rule routes still carries the action it was read with.
        Assert.Equal(1, Sample(scrape, "ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"no_matching_rule\"}"));
        Assert.DoesNotContain("action=\"-\",outcome=\"no_matching_rule\"", scrape, StringComparison.Ordinal);
        Assert.Equal(1, Sample(scrape, "ghfe_signature_failures_total"));
        Assert.Equal(1, Sample(scrape, "ghfe_duplicates_total"));
        Assert.Equal(1, Sample(scrape, "ghfe_notifies_total"));
        Assert.Equal(2, Sample(scrape, "ghfe_database_duration_seconds_count"));
        Assert.Equal(4, Sample(scrape, "ghfe_pipeline_duration_seconds_count"));
        Assert.Equal(0, Sample(scrape, "ghfe_journal_backlog"));
    }

    private static double Sample(string scrape, string series)
    {
        var line = scrape.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{series} is not in the scrape:\n{scrape}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
