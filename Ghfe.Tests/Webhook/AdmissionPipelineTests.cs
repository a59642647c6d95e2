using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

/// <summary>
/// The pipeline with the control plane's routing file: bans and repositories that are not public
/// are refused after the signature and the entity, before staging and the action.
/// </summary>
public class AdmissionPipelineTests
{
    private const long Banned = 325883364;
    private const long BannedSender = 13410920;
    private const long StagingEntity = 277861810;

    private static readonly Uri Staging = new("http://staging.internal:8080/");

    private static Decision Decide(JsonObject payload, bool prod = false, Uri? staging = null) =>
        Decision.Of(Pipeline.Decide(Deliveries.Signed("workflow_job", Payloads.Serialize(payload)), ControlPlaneRouting.Settings(prod, staging)));

    private static JsonObject Job(long owner = 42, string repository = "someone/project", string action = "queued")
    {
        var payload = Payloads.Queued(owner: owner, ownerLogin: "x", repository: repository);
        payload["action"] = action;
        return payload;
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("in_progress")]
    [InlineData("completed")]
    [InlineData("waiting")]
    public void A_banned_entity_is_ignored_whatever_the_action(string action)
    {
        Assert.Equal((200, "Ignoring job: entity is banned", "banned_entity"), Answer(Decide(Job(owner: Banned, action: action))));
    }

    [Fact]
    public void A_banned_sender_is_ignored_whoever_owns_the_repository()
    {
        var payload = Job();
        payload["sender"]!["id"] = BannedSender;

        Assert.Equal((200, "Ignoring job: sender is banned", "banned_entity"), Answer(Decide(payload)));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("internal")]
    [InlineData(null)]
    public void A_repository_that_is_not_public_is_ignored_and_one_without_visibility_counts_as_not_public(string? visibility)
    {
        var payload = Job();
        if (visibility is null)
        {
            payload["repository"]!.AsObject().Remove("visibility");
        }
        else
        {
            payload["repository"]!["visibility"] = visibility;
        }

        Assert.Equal((200, "Ignoring job: repository is not public", "not_public"), Answer(Decide(payload)));
    }

    [Fact]
    public void A_public_repository_of_anyone_else_is_routed_with_its_board_and_provider()
    {
        var decision = Decide(Job());

        Assert.Equal("Enqueue", decision.Kind);
        Assert.Equal(("scaleway-em-rv1", "scaleway"), (decision.Job!.Pool, decision.Job.Provider));
    }

    [Fact]
    public void A_banned_entity_of_a_staging_entity_is_refused_before_staging()
    {
        var payload = Job(owner: StagingEntity, repository: "riseproject-staging/anything");
        Assert.Equal("Forward", Decide(payload, prod: true, Staging).Kind);

        var settings = ControlPlaneRouting.Settings(prod: true, Staging);
        var banning = settings with { Admission = settings.Admission with { BannedEntities = new HashSet<long> { StagingEntity } } };
        var decision = Decision.Of(Pipeline.Decide(Deliveries.Signed("workflow_job", Payloads.Serialize(payload)), banning));

        Assert.Equal((200, "Ignoring job: entity is banned", "banned_entity"), Answer(decision));
    }

    [Theory]
    [InlineData("riseproject-staging/anything")]
    [InlineData("riseproject-staging/riscv-runner")]
    public void Every_repository_of_an_entity_marked_staging_goes_to_staging(string repository)
    {
        var decision = Decide(Job(owner: StagingEntity, repository: repository), prod: true, Staging);

        Assert.Equal(("Forward", Staging.ToString()), (decision.Kind, decision.Target));
    }

    [Fact]
    public void A_delivery_whose_entity_cannot_be_read_is_refused_as_before_not_as_banned()
    {
        var payload = Job(owner: Banned);
        payload["repository"]!["owner"]!["type"] = "Enterprise";

        Assert.Equal((400, "Unsupported owner type: Enterprise", "unsupported_owner_type"), Answer(Decide(payload)));
    }

    [Fact]
    public void With_the_shipped_file_nobody_is_refused_and_a_private_repository_is_routed()
    {
        var payload = Job(owner: Banned);
        payload["repository"]!["visibility"] = "private";

        var decision = Decision.Of(Pipeline.Decide(Deliveries.Signed("workflow_job", Payloads.Serialize(payload)), ShippedRouting.Settings()));

        Assert.Equal("Enqueue", decision.Kind);
    }

    private static (int, string, string) Answer(Decision decision) => (decision.Status, decision.Text, decision.Kind);
}
