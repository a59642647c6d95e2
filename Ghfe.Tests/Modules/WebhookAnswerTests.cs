using System.Text;
using System.Text.Json.Nodes;
using Ghfe.Tests.Support;
using Snapshooter.Xunit;

namespace Ghfe.Tests.Modules;

/// <summary>
/// What the edge answers GitHub (status and text) for every real payload of Fixtures/github, over
/// HTTP to a real ghfe on a real PostgreSQL: as delivered, then asking for the public RISC-V
/// label. Sent in one fixed order, so fixtures that share a job id show how it moves on.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookAnswerTests(PostgresCluster cluster) : GhfeOnFreshDatabase(cluster)
{
    [Fact]
    public async Task Answers_for_every_fixture()
    {
        var answers = new StringBuilder();
        foreach (var fixture in Payloads.Names)
        {
            var (status, text) = await Ghfe.DeliverAsync(Payloads.EventOf(fixture), Payloads.Bytes(fixture));
            answers.Append(Line(fixture, "as delivered", status, text));
        }

        foreach (var fixture in Payloads.Names.Where(name => Payloads.EventOf(name) == "workflow_job"))
        {
            var payload = Payloads.Edit(fixture);
            payload["workflow_job"]!["labels"] = new JsonArray(JsonValue.Create("ubuntu-24.04-riscv"));
            var (status, text) = await Ghfe.DeliverAsync("workflow_job", Payloads.Serialize(payload));
            answers.Append(Line(fixture, "with the riscv label", status, text));
        }

        Snapshot.Match(answers.ToString());
    }

    private static string Line(string fixture, string how, int status, string text) =>
        FormattableString.Invariant($"{fixture} ({how}): {status} {text}\n");
}
