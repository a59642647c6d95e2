using System.Text;
using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Snapshooter;
using Snapshooter.Xunit;

namespace Ghfe.Tests.Webhook;

/// <summary>Hand-written deliveries: every rejection, edge values, and every routing rule and miss.</summary>
public class PipelineCaseTests
{
    private static Decision Decide(WebhookRequest request, bool prod = false) =>
        Decision.Of(Pipeline.Decide(request, ShippedRouting.Settings(prod)));

    private static Decision Decide(JsonNode payload, string eventName = "workflow_job") =>
        Decide(Deliveries.Signed(eventName, Payloads.Serialize(payload)));

    /// <summary>A queued payload edited at one path (dots, with [i] for array items); null removes the key.</summary>
    private static JsonObject QueuedWith(string path, JsonNode? value, bool remove = false)
    {
        var payload = Payloads.Queued();
        var steps = path.Split('.');
        JsonNode parent = payload;
        foreach (var step in steps[..^1])
        {
            parent = parent[step]!;
        }

        if (remove)
        {
            parent.AsObject().Remove(steps[^1]);
        }
        else
        {
            parent[steps[^1]] = value;
        }

        return payload;
    }

    public static TheoryData<string, string, JsonNode?, bool> FieldCases => new()
    {
        { "action_missing", "action", null, true },
        { "action_number", "action", 1, false },
        { "action_waiting", "action", "waiting", false },
        { "action_requested", "action", "requested", false },
        { "repository_missing", "repository", null, true },
        { "repository_string", "repository", "pytorch/pytorch", false },
        { "owner_null", "repository.owner", null, false },
        { "owner_type_bot", "repository.owner.type", "Bot", false },
        { "owner_type_enterprise", "repository.owner.type", "Enterprise", false },
        { "owner_type_missing", "repository.owner.type", null, true },
        { "owner_id_missing", "repository.owner.id", null, true },
        { "owner_id_string", "repository.owner.id", "21003710", false },
        { "owner_login_number", "repository.owner.login", 5, false },
        { "repository_id_zero", "repository.id", 0, false },
        { "repository_full_name_missing", "repository.full_name", null, true },
        { "repository_name_missing", "repository.name", null, true },
        { "workflow_job_missing", "workflow_job", null, true },
        { "workflow_job_array", "workflow_job", new JsonArray(), false },
        { "job_id_missing", "workflow_job.id", null, true },
        { "job_id_null", "workflow_job.id", null, false },
        { "job_id_string", "workflow_job.id", "1000077", false },
        { "job_id_zero", "workflow_job.id", 0, false },
        { "job_id_negative", "workflow_job.id", -5, false },
        { "job_id_fraction", "workflow_job.id", 1000078.5, false },
        { "job_id_true", "workflow_job.id", true, false },
        { "labels_missing", "workflow_job.labels", null, true },
        { "labels_null", "workflow_job.labels", null, false },
        { "labels_string", "workflow_job.labels", "ubuntu-24.04-riscv", false },
        { "labels_with_number", "workflow_job.labels", new JsonArray("ubuntu-24.04-riscv", 3), false },
        { "labels_with_null", "workflow_job.labels", new JsonArray("ubuntu-24.04-riscv", null), false },
        { "html_url_missing", "workflow_job.html_url", null, true },
        { "html_url_number", "workflow_job.html_url", 3, false },
        { "installation_missing_on_queued", "installation", null, true },
        { "installation_id_string", "installation.id", "42", false },
    };

    [Theory]
    [MemberData(nameof(FieldCases))]
    public void Field(string name, string path, JsonNode? value, bool remove)
    {
        Snapshot.Match(Decide(QueuedWith(path, value?.DeepClone(), remove)), SnapshotNameExtension.Create(name));
    }

    /// <summary>Numbers written as raw JSON, which no JsonNode edit could express.</summary>
    [Theory]
    [InlineData("largest_id", "9223372036854775807")]
    [InlineData("two_to_53_plus_1", "9007199254740993")]
    [InlineData("two_to_63", "9223372036854775808")]
    [InlineData("exponent", "1e5")]
    [InlineData("fraction_zero", "1000077.0")]
    [InlineData("negative_zero", "-0")]
    [InlineData("huge", "123456789012345678901234567890")]
    public void Job_id_written_as(string name, string raw)
    {
        var json = Payloads.Queued().ToJsonString().Replace("\"id\":289782451", "\"id\":" + raw, StringComparison.Ordinal);
        Assert.Contains(raw, json, StringComparison.Ordinal);
        Snapshot.Match(Decide(Deliveries.Signed("workflow_job", Encoding.UTF8.GetBytes(json))), SnapshotNameExtension.Create(name));
    }

    public static TheoryData<string, string, byte[]> BodyCases => new()
    {
        { "not_json", "workflow_job", "this is not json"u8.ToArray() },
        { "empty_body", "workflow_job", [] },
        { "json_array", "workflow_job", "[1,2,3]"u8.ToArray() },
        { "json_string", "workflow_job", "\"queued\""u8.ToArray() },
        { "truncated_json", "workflow_job", "{\"action\": \"queued\", \"workflow_job\": {"u8.ToArray() },
        { "invalid_utf8", "workflow_job", [.. "{\"action\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()] },
        { "deep_nesting", "workflow_job", Encoding.ASCII.GetBytes("{\"action\":\"queued\",\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}") },
        { "ping_not_json", "ping", "not json either"u8.ToArray() },
        { "push_event", "push", "{}"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BodyCases))]
    public void Body(string name, string eventName, byte[] body)
    {
        Snapshot.Match(Decide(Deliveries.Signed(eventName, body)), SnapshotNameExtension.Create(name));
    }

    private static Decision DecideText(string json) => Decide(Deliveries.Signed("workflow_job", Encoding.UTF8.GetBytes(json)));

    private static string QueuedJson => Payloads.Serialize(Payloads.Queued()) is var bytes ? Encoding.UTF8.GetString(bytes) : "";

    [Fact]
    public void A_repeated_key_keeps_its_last_value_as_a_JSON_document_would()
    {
        Assert.Equal("Enqueue", DecideText("{\"action\":\"waiting\"," + QueuedJson[1..]).Kind);
        Assert.Equal(("ignored_action", "Ignoring action: waiting"), DecideText(QueuedJson[..^1] + ",\"action\":\"waiting\"}") is var waiting ? (waiting.Kind, waiting.Text) : default);
        Assert.Equal("Invalid payload: repository.owner is missing", DecideText(QueuedJson[..^1] + ",\"repository\":{\"id\":1}}").Text);
        Assert.Equal(42L, DecideText(QueuedJson[..^1] + ",\"workflow_job\":{\"id\":5,\"id\":42,\"labels\":[\"ubuntu-24.04-riscv\"]}}").Job?.JobId);
    }

    [Fact]
    public void Escaped_key_names_are_the_names_they_spell()
    {
        var escaped = QueuedJson.Replace("\"action\":", "\"\\u0061ction\":", StringComparison.Ordinal);
        Assert.Contains("u0061ction", escaped, StringComparison.Ordinal);
        Assert.Equal("Enqueue", DecideText(escaped).Kind);
    }

    [Theory]
    [InlineData("repository.description")]
    [InlineData("workflow_job.steps")]
    [InlineData("sender.login")]
    public void Bytes_that_are_not_UTF8_anywhere_are_not_JSON(string path)
    {
        var payload = Payloads.Queued();
        var steps = path.Split('.');
        payload[steps[0]]![steps[1]] = "MARK";
        var body = Payloads.Serialize(payload);
        var at = body.AsSpan().IndexOf("MARK"u8);
        body[at] = 0xC3;
        body[at + 1] = 0x28;   // a lead byte without its continuation

        Assert.Equal((400, "Invalid payload: body is not valid JSON"), Status(Decide(Deliveries.Signed("workflow_job", body))));
    }

    [Fact]
    public void Labels_route_ignoring_case_and_are_stored_as_sent()
    {
        var decision = Decide(Payloads.Queued(["Ubuntu-24.04-RISCV", "Self-Hosted"], owner: 21003710));

        Assert.Equal("Enqueue", decision.Kind);
        Assert.Equal(["Self-Hosted", "Ubuntu-24.04-RISCV"], decision.Job!.Labels);
        Assert.Equal("scw-em-rv1", decision.Job.Pool);
    }

    [Fact]
    public void Only_whitespace_may_follow_the_body()
    {
        Assert.Equal("Enqueue", DecideText(QueuedJson + " \r\n\t").Kind);
        Assert.Equal("Invalid payload: body is not valid JSON", DecideText(QueuedJson + " x").Text);
        Assert.Equal("Invalid payload: body is not valid JSON", DecideText(QueuedJson + "{}").Text);
        Assert.Equal("Invalid payload: body is not valid JSON", DecideText(QueuedJson[..^1] + ",}").Text);
        Assert.Equal("Invalid payload: body is not valid JSON", DecideText("/* c */" + QueuedJson).Text);
    }

    [Fact]
    public void Missing_event_header_is_checked_first()
    {
        var request = new WebhookRequest(null, null, null, "{}"u8.ToArray());
        Assert.Equal((400, "Missing X-GitHub-Event header"), Status(Decide(request)));
    }

    [Fact]
    public void Missing_signature_header()
    {
        var request = Deliveries.Signed("workflow_job", "{}"u8.ToArray()) with { Signature = null };
        Assert.Equal((400, "Missing X-Hub-Signature-256 header"), Status(Decide(request)));
    }

    [Fact]
    public void A_forged_ping_is_refused_before_it_is_answered()
    {
        var request = Deliveries.Signed("ping", Payloads.Bytes("ping.json")) with { Signature = "sha256=" + new string('a', 64) };
        Assert.Equal((401, "Invalid signature"), Status(Decide(request)));
    }

    public static TheoryData<string, string[], long, string, string> RoutingCases => new()
    {
        { "pytorch_xlarge", ["linux.riscv64.xlarge"], 21003710, "pytorch", "pytorch/pytorch" },
        { "pytorch_public_label_among_others", ["self-hosted", "ubuntu-24.04-riscv"], 21003710, "pytorch", "pytorch/pytorch" },
        { "pytorch_miss", ["ubuntu-latest"], 21003710, "pytorch", "pytorch/pytorch" },
        { "riseproject_executorch", ["linux.riscv64.2xlarge"], 152654596, "riseproject-dev", "riseproject-dev/executorch" },
        { "ggml_exact", ["ubuntu-24.04-riscv"], 134263123, "ggml-org", "ggml-org/llama.cpp" },
        { "ggml_extra_label_miss", ["ubuntu-24.04-riscv", "gpu"], 134263123, "ggml-org", "ggml-org/llama.cpp" },
        { "riseproject_llama", ["ubuntu-24.04-riscv"], 152654596, "riseproject-dev", "riseproject-dev/llama.cpp" },
        { "default_exact", ["ubuntu-24.04-riscv"], 42, "someone", "someone/project" },
        { "default_miss_shows_labels_as_sent", ["zeta", "ubuntu-24.04-riscv"], 42, "someone", "someone/project" },
        { "default_no_labels", [], 42, "someone", "someone/project" },
        { "unicode_labels", ["ubuntu-24.04-riscv", "día", "😀"], 42, "someone", "someone/project" },
        { "hostile_label", ["linux.riscv64.xlarge<script>alert(1)</script>"], 21003710, "pytorch", "pytorch/pytorch" },
    };

    [Theory]
    [MemberData(nameof(RoutingCases))]
    public void Routing(string name, string[] labels, long owner, string login, string repository)
    {
        Snapshot.Match(Decide(Payloads.Queued(labels, owner, login, repository: repository)), SnapshotNameExtension.Create(name));
    }

    [Fact]
    public void A_label_with_a_NUL_character_is_refused()
    {
        var decision = Decide(Payloads.Queued(["ubuntu-24.04-riscv\u0000"]));
        Assert.Equal((400, "Invalid payload: workflow_job.labels[0] has a NUL character"), Status(decision));
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused()
    {
        var json = Payloads.Queued().ToJsonString().Replace("\"login\":\"pytorch\"", "\"login\":\"\\ud800x\"", StringComparison.Ordinal);
        var decision = Decide(Deliveries.Signed("workflow_job", Encoding.UTF8.GetBytes(json)));
        Assert.Equal((400, "Invalid payload: repository.owner.login is not valid Unicode text"), Status(decision));
    }

    [Fact]
    public void Completed_without_installation_stores_zero()
    {
        var payload = QueuedWith("installation", null, remove: true);
        payload["action"] = "completed";
        var decision = Decide(payload);
        Assert.Equal("MarkCompleted", decision.Kind);
        Assert.Equal(0, decision.Job!.InstallationId);
    }

    [Fact]
    public void Prod_routes_to_the_latest_image()
    {
        var decision = Decide(Deliveries.Signed("workflow_job", Payloads.Serialize(Payloads.Queued())), prod: true);
        Assert.EndsWith(":ubuntu-24.04-latest", decision.Job!.Image, StringComparison.Ordinal);
    }

    private static (int, string) Status(Decision decision) => (decision.Status, decision.Text);
}
