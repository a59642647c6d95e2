using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ghfe.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ghfe.Tests.Operations;

/// <summary>
/// Issue 26: requests refused before their signature held are anyone's to send. They are counted,
/// every one, but a flood of them costs a few delivery-log rows and log lines a minute; signed
/// deliveries are still recorded one by one.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class UnsignedNoiseTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const int Forged = 20_000;
    private const int Connections = 16;

    /// <summary>Every tenth forgery has no signature header at all: a second reason, counted apart.</summary>
    private const int Unsigned = Forged / 10;

    [Fact]
    public async Task Twenty_thousand_forged_requests_cost_a_handful_of_rows_and_log_lines()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var ghfe = await GhfeProcess.StartAsync(database);
        var rowsBefore = await ScalarAsync<long>(database, "SELECT count(*) FROM staging.deliveries");
        var logBefore = LogBytes(ghfe);
        var linesBefore = ghfe.Lines.Count;

        var body = Payloads.Serialize(Payloads.Queued());
        var clock = Stopwatch.StartNew();
        var next = -1;
        var statuses = new int[Forged];
        var forgers = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Forged; i = Interlocked.Increment(ref next))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
                request.Headers.TryAddWithoutValidation("X-GitHub-Event", "workflow_job");
                request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", $"forged-{i}");
                request.Headers.TryAddWithoutValidation("User-Agent", "forger/1.0");
                if (i % 10 != 0)
                {
                    request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
                }

                using var response = await ghfe.Client.SendAsync(request);
                statuses[i] = (int)response.StatusCode;
            }
        })).ToList();
        var signed = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var payload = Payloads.Queued();
            payload["workflow_job"]!["id"] = 7_000 + i;
            signed.Add((await ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload), $"signed-{i}")).Status);
        }

        await Task.WhenAll(forgers);
        var sending = clock.Elapsed;
        var scrape = await ghfe.Client.GetStringAsync("/metrics");
        Assert.Equal(0, await ghfe.StopAsync());

        var rows = await RowsAsync(database, "SELECT outcome, status, source, requests, samples::text FROM staging.deliveries WHERE samples IS NOT NULL");
        var rowsAdded = await ScalarAsync<long>(database, "SELECT count(*) FROM staging.deliveries") - rowsBefore;
        var newLines = ghfe.Lines.Skip(linesBefore).ToList();
        var logAdded = LogBytes(ghfe) - logBefore;
        var tallyLines = newLines.Where(line => line.Contains(" unsigned: ", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{Forged} forged requests over {Connections} connections in {sending.TotalSeconds:F1} s ({Forged / sending.TotalSeconds:F0}/s)");
        output.WriteLine($"delivery log: {rowsAdded} rows added ({rows.Count} of unsigned requests, 5 signed); log: {logAdded} bytes added in {newLines.Count} lines");
        foreach (var line in tallyLines)
        {
            output.WriteLine(line);
        }

        Assert.Equal([Forged - Unsigned, Unsigned], [statuses.Count(s => s == 401), statuses.Count(s => s == 400)]);
        Assert.Equal([200, 200, 200, 200, 200], signed);
        // Counters still count every request.
        Assert.Contains($"ghfe_deliveries_total{{event=\"workflow_job\",action=\"-\",outcome=\"invalid_signature\",github_app=\"-\"}} {Forged - Unsigned}", scrape, StringComparison.Ordinal);
        Assert.Contains($"ghfe_deliveries_total{{event=\"workflow_job\",action=\"-\",outcome=\"missing_header\",github_app=\"-\"}} {Unsigned}", scrape, StringComparison.Ordinal);
        // A row per minute and reason (a run may straddle a minute or two), every request counted in one.
        Assert.InRange(rows.Count, 2, 6);
        Assert.Equal(Forged, rows.Sum(row => (int)row[3]!));
        Assert.Equal(Forged - Unsigned, rows.Where(row => (string)row[0]! == "invalid_signature").Sum(row => (int)row[3]!));
        Assert.All(rows, row => Assert.Equal("127.0.0.1", row[2]));
        // A few samples each: jsonb writes {"user_agents": ["forger/1.0"], "delivery_ids": ["forged-1", "forged-2", "forged-4"]}.
        Assert.All(rows, row => Assert.Contains("\"user_agents\": [\"forger/1.0\"]", (string)row[4]!, StringComparison.Ordinal));
        Assert.All(rows, row => Assert.Matches("\"delivery_ids\": \\[\"forged-\\d+\", \"forged-\\d+\", \"forged-\\d+\"\\]", (string)row[4]!));
        Assert.Equal(rows.Count + 5, rowsAdded);
        // Signed deliveries: each its own row, as before.
        Assert.Equal(5L, await ScalarAsync<long>(database, "SELECT count(*) FROM staging.deliveries WHERE delivery_id LIKE 'signed-%' AND requests = 1 AND samples IS NULL"));
        Assert.Equal(rows.Count, tallyLines.Count);
        Assert.DoesNotContain(newLines, line => line.Contains("delivery=forged-", StringComparison.Ordinal));
        Assert.InRange(logAdded, 1, 16 * 1024);
    }

    [Fact]
    public async Task The_deliveries_page_shows_a_minute_of_forgeries_as_one_line()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using (var ghfe = await GhfeProcess.StartAsync(database))
        {
            for (var i = 0; i < 3; i++)
            {
                using var forged = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Payloads.Serialize(Payloads.Queued())) };
                forged.Headers.TryAddWithoutValidation("X-GitHub-Event", "workflow_job");
                forged.Headers.TryAddWithoutValidation("X-GitHub-Delivery", $"d-forged-{i}");
                forged.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
                using var answer = await ghfe.Client.SendAsync(forged);
                Assert.Equal(401, (int)answer.StatusCode);
            }

            Assert.Equal(0, await ghfe.StopAsync());
        }

        await using var again = await GhfeProcess.StartAsync(database);
        var html = await again.Client.GetStringAsync("/deliveries");
        var json = await again.Client.GetStringAsync("/deliveries.json");

        Assert.Matches("[0-9]+ &#215; invalid signature from 127\\.0\\.0\\.1 in this minute", html);
        Assert.Contains("e.g. delivery d-forged-0, d-forged-1, d-forged-2", html, StringComparison.Ordinal);
        // Nothing from a forged body: no repository, no labels, no job.
        using var page = System.Text.Json.JsonDocument.Parse(json);
        var row = Assert.Single(page.RootElement.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(3, row.GetProperty("requests").GetInt32());
        Assert.Equal("invalid_signature", row.GetProperty("outcome").GetString());
        Assert.Equal("127.0.0.1", row.GetProperty("source").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("repository").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("labels").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("job_id").ValueKind);
    }

    private static long LogBytes(GhfeProcess ghfe) => ghfe.Lines.Sum(line => (long)Encoding.UTF8.GetByteCount(line) + 1);

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task<List<object?[]>> RowsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
