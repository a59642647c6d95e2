using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

/// <summary>
/// Random and mutated payloads through the whole pure pipeline, signed so that they reach the
/// parser: it never throws, and always answers a command or a 200/400 rejection.
/// GHFE_PROPERTY_ITERATIONS sets the number of cases (default 3,000; the long run uses 100,000).
/// </summary>
public class HostileInputTests
{
    private static readonly long Iterations =
        long.TryParse(Environment.GetEnvironmentVariable("GHFE_PROPERTY_ITERATIONS"), out var iterations) ? iterations : 3_000;

    private static readonly string[] Fixtures = [.. Payloads.Names.Where(name => Payloads.EventOf(name) == "workflow_job")];

    private static readonly string[] Paths =
    [
        "action", "repository", "repository.owner", "repository.owner.type", "repository.owner.id", "repository.owner.login",
        "repository.id", "repository.full_name", "repository.name", "workflow_job", "workflow_job.id", "workflow_job.labels",
        "workflow_job.html_url", "installation", "installation.id",
    ];

    /// <summary>Values of every JSON type, edge numbers written raw (a JsonNode would normalise them).</summary>
    private static readonly string[] RawValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e5", "-0", "9223372036854775807", "9223372036854775808",
        "123456789012345678901234567890", "\"\"", "\"queued\"", "\"in_progress\"", "\"completed\"", "\"Organization\"", "\"User\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"😀ünïcode\"", "[]", "[\"ubuntu-24.04-riscv\"]", "[1,2]", "[null]", "{}", "{\"id\":1}",
        "\"" + new string('x', 70_000) + "\"", new string('[', 200) + new string(']', 200),
        "\"" + new string('x', 257) + "\"", "[\"ubuntu-24.04-riscv\",\"" + new string('x', 2_700) + "\"]",
        "[" + string.Join(',', Enumerable.Repeat("\"ubuntu-24.04-riscv\"", 65)) + "]",
    ];

    private static readonly WebhookSettings Settings = ShippedRouting.Settings();

    /// <summary>A fixture, and up to four edits of it: a field removed or replaced, or its bytes broken.</summary>
    internal static readonly Gen<byte[]> Deliveries =
        Gen.Select(Gen.Int[0, Fixtures.Length - 1], Gen.Int[0, 3].SelectMany(n => Gen.Int[0, 1_000_000].Array[n, n]))
            .Select(t => Mutate(Fixtures[t.Item1], t.Item2));

    [Fact]
    public void No_payload_makes_the_pipeline_throw() => NoPayloadMakesThePipelineThrow(Settings, appId: null);

    /// <summary>There the body is parsed once for the decision and its installation_events row, and a broken one has no row.</summary>
    [Fact]
    public void No_payload_makes_the_pipeline_throw_in_the_control_plane_generation() =>
        NoPayloadMakesThePipelineThrow(Settings with { Generation = SchemaGeneration.ControlPlane }, appId: "987654");

    private static void NoPayloadMakesThePipelineThrow(WebhookSettings settings, string? appId)
    {
        var commands = 0;
        Deliveries.Sample(body =>
        {
            var decided = Pipeline.Decide(Support.Deliveries.Signed("workflow_job", body) with { AppId = appId }, settings);
            var decision = decided.Decision;
            var controlPlane = settings.Generation == SchemaGeneration.ControlPlane;

            Assert.False(decision.IsBottom);
            decision.Match(
                Right: command =>
                {
                    Interlocked.Increment(ref commands);
                    var store = Assert.IsType<DeliveryCommand.Store>(command);
                    // There a job's installation_events row travels with it, to commit together.
                    Assert.Equal(controlPlane, store.Command.Event is not null);
                    var job = store.Command.Job;
                    Assert.True(job.JobId > 0);
                    // Nothing past the limits reaches the database, where an index would refuse it (a 500).
                    Assert.InRange(job.Labels.Count, 0, FieldLimits.Labels);
                    Assert.InRange(job.Labels.Sum(Encoding.UTF8.GetByteCount), 0, FieldLimits.LabelBytes);
                    Assert.All(new[] { job.EntityName, job.RepoFullName }, name => Assert.InRange(name.Length, 0, FieldLimits.NameLength));
                    Assert.DoesNotContain(job.Labels.Append(job.EntityName).Append(job.RepoFullName).Append(job.HtmlUrl ?? string.Empty), text => text.Contains('\0', StringComparison.Ordinal));
                },
                Left: rejection =>
                {
                    Assert.Contains(rejection.Status, new[] { 200, 400 });
                    // A refusal the control plane names has its row; a body it could not read (no JSON object, a field amiss) has none.
                    Assert.Equal(controlPlane && ControlPlaneOutcome.Of(rejection.Outcome) is not null, decided.Event is not null);
                });
        }, iter: Iterations);

        // The generator must not only break things: a fair share of cases stays valid.
        Assert.InRange(commands, Iterations / 20, Iterations);
    }

    private static byte[] Mutate(string fixture, int[] edits)
    {
        // Routed to begin with, so that unbroken cases reach a command, not only "no matching rule".
        var routed = Payloads.Edit(fixture);
        routed["workflow_job"]!["labels"] = new JsonArray(JsonValue.Create("ubuntu-24.04-riscv"));
        routed["installation"] ??= new JsonObject { ["id"] = 42 };
        var text = routed.ToJsonString();
        foreach (var edit in edits)
        {
            var random = new Random(edit);
            text = (edit % 5) switch
            {
                0 => Remove(text, Paths[random.Next(Paths.Length)]),
                1 or 2 => Replace(text, Paths[random.Next(Paths.Length)], RawValues[random.Next(RawValues.Length)]),
                3 => text.Length == 0 ? text : text[..random.Next(text.Length)],
                _ => text.Insert(text.Length > 1 ? text.Length - 1 : 0, ",\"action\":\"queued\",\"action\":5"),
            };
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (edits.Length > 0 && edits[0] % 7 == 0 && bytes.Length > 10)
        {
            bytes[edits[0] % bytes.Length] = 0xC3; // a lone UTF-8 lead byte somewhere
        }

        return bytes;
    }

    private static string Remove(string json, string path) => Edit(json, path, (parent, key) => parent.Remove(key));

    private static string Replace(string json, string path, string raw)
    {
        const string Marker = "\"__ghfe_raw__\"";
        var marked = Edit(json, path, (parent, key) => parent[key] = "__ghfe_raw__");
        return marked.Replace(Marker, raw, StringComparison.Ordinal);
    }

    /// <summary>Edits a parsed copy; text that no longer parses is returned as it is (and broken further by others).</summary>
    private static string Edit(string json, string path, Action<JsonObject, string> edit)
    {
        try
        {
            var node = JsonNode.Parse(json);
            var steps = path.Split('.');
            var parent = node;
            foreach (var step in steps[..^1])
            {
                parent = parent is JsonObject objectNode ? objectNode[step] : null;
            }

            if (parent is JsonObject target)
            {
                edit(target, steps[^1]);
            }

            return node?.ToJsonString() ?? json;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return json;
        }
    }
}
