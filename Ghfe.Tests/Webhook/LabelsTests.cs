using System.Text.Json.Nodes;
using Ghfe.Routing;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

public class LabelsTests
{
    /// <summary>The answer for a queued delivery of pytorch's (a rule that takes extra labels) with these labels.</summary>
    private static (int Status, string Text) Answer(string[] labels, Action<JsonObject>? edit = null)
    {
        var payload = Payloads.Queued(labels);
        edit?.Invoke(payload);
        var decision = Pipeline.Decide(Deliveries.Signed("workflow_job", Payloads.Serialize(payload)), ShippedRouting.Settings()).Decision;
        return decision.Match(Right: command => (200, "routed"), Left: rejection => (rejection.Status, rejection.Text));
    }

    private static string[] Routed(params string[] more) => ["linux.riscv64.xlarge", .. more];

    [Fact]
    public void A_label_longer_than_GitHub_sends_is_refused_naming_it()
    {
        Assert.Equal((400, "Invalid payload: workflow_job.labels[1] is longer than 256 characters"), Answer(Routed(new string('x', 2700))));
        Assert.Equal((400, "Invalid payload: workflow_job.labels[1] is longer than 256 characters"), Answer(Routed(new string('x', 257))));
        Assert.Equal((200, "routed"), Answer(Routed(new string('x', 256))));
    }

    [Fact]
    public void More_labels_than_GitHub_sends_are_refused()
    {
        var labels = Enumerable.Range(0, FieldLimits.Labels).Select(i => $"l{i}").ToArray();

        Assert.Equal((200, "routed"), Answer(Routed(labels[1..])));
        Assert.Equal((400, "Invalid payload: workflow_job.labels has more than 64 labels"), Answer(Routed(labels)));
    }

    [Fact]
    public void Labels_past_2048_bytes_together_are_refused_however_short_each_is()
    {
        // 'é' and 'ж' are 2 bytes each in UTF-8: 9 × 250 of them are 4,500 bytes, 4 × 250 are 2,000 (and the routed label 20).
        var labels = Enumerable.Range(0, 9).Select(i => new string('é', 250)).ToArray();
        var fitting = Enumerable.Range(0, 4).Select(i => new string('ж', 250)).ToArray();

        Assert.Equal((400, "Invalid payload: workflow_job.labels hold more than 2048 bytes of UTF-8 together"), Answer(Routed(labels)));
        Assert.Equal((200, "routed"), Answer(Routed(fitting)));
    }

    [Theory]
    [InlineData("full_name", "repository.full_name", 256)]
    [InlineData("owner.login", "repository.owner.login", 256)]
    public void Names_longer_than_GitHub_allows_are_refused(string field, string path, int limit)
    {
        void Set(JsonObject payload, string value)
        {
            var node = payload["repository"]!;
            var steps = field.Split('.');
            foreach (var step in steps[..^1])
            {
                node = node[step]!;
            }

            node[steps[^1]] = value;
        }

        Assert.Equal((400, $"Invalid payload: {path} is longer than {limit} characters"), Answer(Routed(), p => Set(p, "pytorch/" + new string('p', limit))));
        Assert.Equal((200, "routed"), Answer(Routed(), p => Set(p, new string('p', limit))));
    }

    [Fact]
    public void A_job_url_longer_than_2048_characters_is_refused()
    {
        Assert.Equal(
            (400, "Invalid payload: workflow_job.html_url is longer than 2048 characters"),
            Answer(Routed(), p => p["workflow_job"]!["html_url"] = "https://github.com/" + new string('x', 2048)));
    }

    [Fact]
    public void Sorts_by_code_point_like_python()
    {
        // UTF-16 order would put U+FF21 (a BMP letter) after U+1F600 (a surrogate pair); code points do not.
        string[] labels = ["😀", "Ａ", "b", "B", "a", "ubuntu-24.04-riscv"];
        Assert.Equal(["B", "a", "b", "ubuntu-24.04-riscv", "Ａ", "😀"], LabelOrder.Sorted(labels));
    }

    [Fact]
    public void Keeps_duplicates()
    {
        Assert.Equal(["x", "x", "y"], LabelOrder.Sorted(["y", "x", "x"]));
    }

    [Fact]
    public void A_prefix_sorts_before_the_longer_label()
    {
        Assert.Equal(["ubuntu-24.04-riscv", "ubuntu-24.04-riscv-2xlarge"], LabelOrder.Sorted(["ubuntu-24.04-riscv-2xlarge", "ubuntu-24.04-riscv"]));
    }
}
