using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using Snapshooter;
using Snapshooter.Xunit;

namespace Ghfe.Tests.Webhook;

/// <summary>Every real GitHub payload of Fixtures/github through the whole pipeline, signed over its exact bytes.</summary>
public class PipelineFixtureTests
{
    public static TheoryData<string> Fixtures => new(Payloads.Names);

    public static TheoryData<string> WorkflowJobFixtures =>
        new(Payloads.Names.Where(name => Payloads.EventOf(name) == "workflow_job"));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_as_delivered(string fixture)
    {
        var decision = Decision.Of(Pipeline.Decide(Deliveries.Signed(Payloads.EventOf(fixture), Payloads.Bytes(fixture)), ShippedRouting.Settings()));

        Snapshot.Match(decision, SnapshotNameExtension.Create(fixture));
    }

    /// <summary>The same payloads asking for the public label, so each reaches a command: entity, installation and labels as read.</summary>
    [Theory]
    [MemberData(nameof(WorkflowJobFixtures))]
    public void Fixture_with_the_riscv_label(string fixture)
    {
        var payload = Payloads.Edit(fixture);
        payload["workflow_job"]!["labels"] = new JsonArray(JsonValue.Create("ubuntu-24.04-riscv"));

        var decision = Decision.Of(Pipeline.Decide(Deliveries.Signed("workflow_job", Payloads.Serialize(payload)), ShippedRouting.Settings()));

        Snapshot.Match(decision, SnapshotNameExtension.Create(fixture));
    }

    [Fact]
    public void A_user_owned_job_is_scoped_to_its_repository()
    {
        var decision = Decision.Of(Pipeline.Decide(
            Deliveries.Signed("workflow_job", Payloads.Serialize(Payloads.Queued(owner: 21031067, ownerLogin: "Codertocat", type: "User", repository: "Codertocat/Hello-World"))),
            ShippedRouting.Settings()));

        var repositoryId = Payloads.Edit("workflow_job.queued.json")["repository"]!["id"]!.GetValue<long>();
        Assert.Equal(repositoryId, decision.Job!.EntityId);
        Assert.Equal("User", decision.Job.EntityType);
    }
}
