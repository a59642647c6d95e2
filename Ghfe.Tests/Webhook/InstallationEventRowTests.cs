using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

/// <summary>What an installation_events row keeps of a delivery, and the outcome it names: pure, on GitHub's own payloads.</summary>
public sealed class InstallationEventRowTests
{
    public static TheoryData<string> JobFixtures => new(Payloads.Names.Where(name => Payloads.EventOf(name) == "workflow_job"));

    [Theory]
    [MemberData(nameof(JobFixtures))]
    public void A_jobs_payload_loses_the_api_links_and_steps_and_keeps_everything_else(string fixture)
    {
        var original = JsonNode.Parse(Payloads.Bytes(fixture))!.AsObject();

        var kept = JsonNode.Parse(EventPayload.Trimmed(Payloads.Bytes(fixture)))!.AsObject();

        foreach (var name in new[] { "repository", "sender", "organization" })
        {
            if (original[name] is JsonObject before)
            {
                var after = kept[name]!.AsObject();
                Assert.All(after, member => Assert.False(member.Key == "url" || member.Key.EndsWith("_url", StringComparison.Ordinal), $"{name}.{member.Key}"));
                Assert.Equal(before.Count(m => m.Key != "url" && !m.Key.EndsWith("_url", StringComparison.Ordinal)), after.Count);
            }
        }

        var owner = kept["repository"]!["owner"]!.AsObject();
        Assert.DoesNotContain(owner, member => member.Key.EndsWith("_url", StringComparison.Ordinal) || member.Key == "url");
        var job = kept["workflow_job"]!.AsObject();
        Assert.All(["url", "run_url", "check_run_url", "steps"], gone => Assert.False(job.ContainsKey(gone), gone));
        Assert.Equal((string?)original["workflow_job"]!["html_url"], (string?)job["html_url"]);
        Assert.Equal(original["workflow_job"]!.AsObject().Count(m => m.Key is not ("url" or "run_url" or "check_run_url" or "steps")), job.Count);
        Assert.True(JsonNode.DeepEquals(original["installation"], kept["installation"]));
        Assert.Equal(original.Select(m => m.Key).Order(), kept.Select(m => m.Key).Order());
    }

    [Fact]
    public void What_stays_keeps_its_exact_text_and_an_escaped_name_is_read_as_its_text()
    {
        var body = """{ "action" : "queued", "workflow_job": {"ur\u006c": "x", "id": 1, "name": "caf\u00e9 \u0000", "steps": [{"url": 1}], "html_url": "h"}, "repository": {"owner": {"login": "o", "avatar_url": "a"}, "hooks_url": "k", "full_name": "o/r"}, "sender": {"url": "s", "id": 2}, "other": {"url": 3} }"""u8.ToArray();

        var kept = EventPayload.Trimmed(body);

        Assert.Equal(
            """{"action" : "queued","workflow_job": {"id": 1,"name": "caf\u00e9 \uFFFD","html_url": "h"},"repository": {"owner": {"login": "o"},"full_name": "o/r"},"sender": {"id": 2},"other": {"url": 3}}""",
            kept);
        Assert.NotNull(JsonNode.Parse(kept));
    }

    [Fact]
    public void A_job_no_rule_takes_keeps_only_what_names_it()
    {
        var payload = Payload.Parse(Payloads.Bytes("workflow_job.queued.json")).Match(Right: p => p, Left: r => throw new InvalidOperationException(r.Text));

        Assert.Equal(
            """{"workflow_job":{"labels":["ubuntu-latest"],"html_url":"https://github.com/octo-org/octo-repo/runs/1291536064"},"repository":{"full_name":"Codertocat/Hello-World"}}""",
            EventPayload.Minimal(payload));
    }

    [Fact]
    public void Every_outcome_is_mapped_to_the_control_planes_word_or_to_no_row()
    {
        var mapped = DeliveryOutcomes.All.ToDictionary(outcome => outcome, outcome => ControlPlaneOutcome.Of(outcome, JobStatus.Running));

        Assert.Equal("ok", mapped[DeliveryOutcome.Ping]);
        Assert.Equal(("job_stored", "job_already_exists", "job_not_found"), (mapped[DeliveryOutcome.Stored], mapped[DeliveryOutcome.AlreadyExists], mapped[DeliveryOutcome.RecordedUnseen]));
        Assert.Equal("job_marked_running", ControlPlaneOutcome.Of(DeliveryOutcome.Advanced, JobStatus.Running));
        Assert.Equal("job_marked_completed", ControlPlaneOutcome.Of(DeliveryOutcome.Unchanged, JobStatus.Completed));
        Assert.Equal(("ignored_action", "ignored_no_label", "ignored_event"), (mapped[DeliveryOutcome.IgnoredAction], mapped[DeliveryOutcome.NoMatchingRule], mapped[DeliveryOutcome.IgnoredEvent]));
        Assert.All(DeliveryOutcomes.All.Where(DeliveryOutcomes.IsForward), outcome => Assert.Equal("proxied_to_staging", mapped[outcome]));
        Assert.All(
            [DeliveryOutcome.MissingHeader, DeliveryOutcome.InvalidSignature, DeliveryOutcome.InvalidPayload, DeliveryOutcome.Spooled, DeliveryOutcome.Unavailable, DeliveryOutcome.DatabaseError],
            outcome => Assert.Null(mapped[outcome]));
    }

    private static Decided Decide(WebhookRequest request) =>
        Pipeline.Decide(request, ShippedRouting.Settings(prod: false) with { Generation = SchemaGeneration.ControlPlane });

    [Fact]
    public void In_the_control_plane_generation_the_app_id_is_required_after_the_signature()
    {
        var body = Payloads.Bytes("workflow_job.queued.json");
        var signed = Deliveries.Signed("workflow_job", body);

        Assert.Equal(("Missing X-GitHub-Hook-Installation-Target-Id header", 400), Decide(signed).Decision.Match(Right: _ => ("", 0), Left: r => (r.Text, r.Status)));
        Assert.Equal(401, Decide(signed with { Signature = "sha256=00", AppId = null }).Decision.Match(Right: _ => 0, Left: r => r.Status));
        Assert.True(Pipeline.Decide(signed, ShippedRouting.Settings(prod: false)).Decision.IsLeft); // no rule for ubuntu-latest, but no header asked
        Assert.Equal("no_matching_rule", Pipeline.Decide(signed, ShippedRouting.Settings(prod: false)).Decision.Match(Right: _ => "", Left: r => r.Outcome.Wire()));
    }

    [Fact]
    public void A_stored_job_carries_its_row_and_a_user_is_keyed_by_its_owner()
    {
        var payload = Payloads.Queued(owner: 42, ownerLogin: "someone", type: "User", repository: "someone/project");
        var request = Deliveries.Signed("workflow_job", Payloads.Serialize(payload)) with { AppId = "31337" };

        var command = Decide(request).Decision.Match(Right: c => ((DeliveryCommand.Store)c).Command, Left: r => throw new InvalidOperationException(r.Text));

        Assert.Equal(42, command.Job.EntityId);
        Assert.Equal(("update", DateTimeOffset.Parse("2021-09-13T02:21:13Z")), (command.Job.Details!.Name, command.Job.Details.CreatedAt!.Value));
        var row = command.Event!;
        Assert.Equal(("workflow_job.queued", 3456996L, 31337L, "User", 42L, "someone"), (row.Event, row.InstallationId!.Value, row.AppId!.Value, row.EntityType, row.EntityId!.Value, row.EntityName));
    }
}
