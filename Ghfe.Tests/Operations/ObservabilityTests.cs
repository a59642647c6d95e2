using System.Text.Json;
using System.Text.RegularExpressions;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Operations;

[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed partial class ObservabilityTests(PostgresCluster cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Json_logs_carry_the_delivery_fields_apart()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database, ("GHFE_LOG_FORMAT", "json"));

        var (status, _) = await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued()), "json-log-delivery");
        await ghfe.WaitForLineAsync(l => l.Contains("json-log-delivery", StringComparison.Ordinal));

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
        await ghfe.WaitForLineAsync(l => l.Contains("delivery=text-log-delivery", StringComparison.Ordinal));

        Assert.Equal(200, status);
        Assert.Matches(
            @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Ghfe\.Modules\.DeliveryRecorder\[0\] delivery=text-log-delivery event=workflow_job action=queued job=289782451 outcome=stored status=200 elapsed_ms=\d+\.\d why=-$",
            Assert.Single(ghfe.Lines, l => l.Contains("delivery=text-log-delivery", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_line_of_an_ignored_job_says_why_as_its_page_does()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database);

        var (status, _) = await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(["ubuntu-24.04-risv"], 42, "someone", repository: "someone/project")), "ignored-log-delivery");
        await ghfe.WaitForLineAsync(l => l.Contains("delivery=ignored-log-delivery", StringComparison.Ordinal));

        Assert.Equal(200, status);
        var line = Assert.Single(ghfe.Lines, l => l.Contains("delivery=ignored-log-delivery", StringComparison.Ordinal));
        Assert.Contains("outcome=no_matching_rule", line, StringComparison.Ordinal);
        Assert.Matches(
            @" why=rule \d+ \(.+\) applies, but none of its routes takes \[ubuntu-24\.04-risv\]; near miss: .*did you mean .*ubuntu-24\.04-riscv.*\?$",
            line);
    }

    /// <summary>
    /// Control characters a client can put in a header value: HTTP/1.1 ends a header line at CR LF,
    /// so not those, and Kestrel trims whitespace at either end.
    /// </summary>
    private const string Hostile = "\u001b[31mred\u001b[0m\t\u0007\u007f";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Logs_escape_control_characters_from_request_headers(string format)
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database, ("GHFE_LOG_FORMAT", format));
        var body = "{}"u8.ToArray();

        // Signed, so recorded on its own line at once; an event nobody handles, named in the answer too.
        var signed = await RawPostAsync(ghfe.Address, body, ("X-GitHub-Event", "ev" + Hostile), ("X-GitHub-Delivery", "signed" + Hostile),
            ("X-Hub-Signature-256", Ghfe.Webhook.Signature.Compute(Deliveries.SecretBytes, body)));
        // Unsigned: counted, and named among the samples of its minute's line when ghfe stops.
        var forged = await RawPostAsync(ghfe.Address, body, ("X-GitHub-Event", "workflow_job"), ("X-GitHub-Delivery", "forged" + Hostile),
            ("X-Hub-Signature-256", "sha256=" + new string('0', 64)), ("User-Agent", "agent" + Hostile));
        Assert.Equal(0, await ghfe.StopAsync());
        var lines = ghfe.Lines;
        foreach (var line in lines.Where(l => l.Contains("signed", StringComparison.Ordinal) || l.Contains("forged", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        Assert.Equal(["HTTP/1.1 200 OK", "HTTP/1.1 401 Unauthorized"], [signed, forged]);
        Assert.DoesNotContain(lines, line => line.Any(c => char.IsControl(c)));
        if (format == "text")
        {
            const string Escaped = "\\u001b[31mred\\u001b[0m\\t\\u0007\\u007f";
            Assert.Contains(lines, line => line.Contains("delivery=signed" + Escaped + " event=ev" + Escaped + " ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.Contains("unsigned: 1 × invalid_signature", StringComparison.Ordinal)
                && line.Contains("forged" + Escaped, StringComparison.Ordinal) && line.Contains("agent" + Escaped, StringComparison.Ordinal));
        }
        else
        {
            // JSON escapes them itself (\u001B), and the values read back whole.
            var entries = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            Assert.Contains(entries, e => e.GetProperty("State").TryGetProperty("Delivery", out var id) && id.GetString() == "signed" + Hostile);
            Assert.Contains(lines, line => line.Contains("signed\\u001B[31mred", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.Contains("forged" + Hostile, StringComparison.Ordinal));
        }
    }

    /// <summary>A POST written byte by byte (HttpClient refuses control characters in headers); the status line of the answer.</summary>
    private static async Task<string> RawPostAsync(Uri address, byte[] body, params (string Name, string Value)[] headers)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        var head = new System.Text.StringBuilder($"POST / HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes(head.Append("\r\n").ToString()));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return await reader.ReadLineAsync() ?? string.Empty;
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

        Assert.Equal(1, Sample(scrape, "ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"stored\",github_app=\"-\"}"));
        Assert.Equal(1, Sample(scrape, "ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"already_exists\",github_app=\"-\"}"));
        // A verified delivery that no rule routes still carries the action it was read with.
        Assert.Equal(1, Sample(scrape, "ghfe_deliveries_total{event=\"workflow_job\",action=\"queued\",outcome=\"no_matching_rule\",github_app=\"-\"}"));
        Assert.DoesNotContain("action=\"-\",outcome=\"no_matching_rule\"", scrape, StringComparison.Ordinal);
        Assert.Equal(1, Sample(scrape, "ghfe_signature_failures_total"));
        Assert.Equal(1, Sample(scrape, "ghfe_duplicates_total"));
        Assert.Equal(1, Sample(scrape, "ghfe_jobs_stored_total"));
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
