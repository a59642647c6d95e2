using Ghfe.Routing;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Routing;

/// <summary>The shipped rules reproduce production's, case by case (docs/configuration.md, "Routing file").</summary>
public class RouterTests
{
    private const long PyTorch = 21003710;
    private const long RiseProject = 152654596;
    private const long Ggml = 134263123;
    private const long Someone = 999;

    private const string Registry = "rg.fr-par.scw.cloud/funcscwriseriscvrunnerappqdvknz9s/riscv-runner";

    public static TheoryData<long, string, string[], string?, string?> Cases => new()
    {
        // Rule 1: pytorch, and two riseproject-dev repositories.
        { PyTorch, "pytorch/pytorch", ["linux.riscv64.xlarge"], "pytorch", "scw-em-rv1" },
        { PyTorch, "pytorch/pytorch", ["self-hosted", "linux.riscv64.2xlarge.nvidia"], "pytorch", "scw-em-rv1" },
        { PyTorch, "pytorch/executorch", ["ubuntu-24.04-riscv", "extra"], "pytorch", "scw-em-rv1" },
        { PyTorch, "pytorch/pytorch", ["ubuntu-24.04-riscv-2xlarge"], null, null },
        { PyTorch, "pytorch/pytorch", ["linux.riscv64.large"], null, null },
        { PyTorch, "pytorch/pytorch", [], null, null },
        { RiseProject, "riseproject-dev/pytorch", ["linux.riscv64.xlarge"], "pytorch", "scw-em-rv1" },
        { RiseProject, "RiseProject-Dev/ExecuTorch", ["ubuntu-24.04-riscv"], "pytorch", "scw-em-rv1" },
        { RiseProject, "riseproject-dev/executorch", ["ubuntu-latest"], null, null },

        // Rule 2: ggml-org, and two riseproject-dev repositories: exactly ["ubuntu-24.04-riscv"].
        { Ggml, "ggml-org/llama.cpp", ["ubuntu-24.04-riscv"], "ggml", "cloudv10x-jupiter" },
        { Ggml, "ggml-org/llama.cpp", ["ubuntu-24.04-riscv", "self-hosted"], null, null },
        { Ggml, "ggml-org/llama.cpp", ["linux.riscv64.xlarge"], null, null },
        { RiseProject, "riseproject-dev/llama.cpp", ["ubuntu-24.04-riscv"], "ggml", "cloudv10x-jupiter" },
        { RiseProject, "riseproject-dev/llama.cpp-validation", ["ubuntu-24.04-riscv"], "ggml", "cloudv10x-jupiter" },

        // Rule 3: anyone else, exactly ["ubuntu-24.04-riscv"].
        { Someone, "someone/project", ["ubuntu-24.04-riscv"], "default", "scw-em-rv1" },
        { RiseProject, "riseproject-dev/riscv-runner", ["ubuntu-24.04-riscv"], "default", "scw-em-rv1" },
        { Someone, "someone/project", ["ubuntu-24.04-riscv", "ubuntu-24.04-riscv"], null, null },
        // Labels compare ignoring case, as GitHub compares runs-on with a runner's labels (production compared them exactly).
        { Someone, "someone/project", ["Ubuntu-24.04-RISCV"], "default", "scw-em-rv1" },
        { PyTorch, "pytorch/pytorch", ["LINUX.RISCV64.XLARGE"], "pytorch", "scw-em-rv1" },
        { PyTorch, "pytorch/pytorch", ["self-hosted", "UBUNTU-24.04-RISCV"], "pytorch", "scw-em-rv1" },
        { Ggml, "ggml-org/llama.cpp", ["Ubuntu-24.04-Riscv"], "ggml", "cloudv10x-jupiter" },
        { Someone, "someone/project", ["linux.riscv64.xlarge"], null, null },
        { Someone, "someone/project", ["ubuntu-26.04-riscv"], null, null },
        { Someone, "someone/project", [], null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Shipped_rules_route_like_production(long owner, string repository, string[] labels, string? rule, string? pool)
    {
        var destination = Router.Resolve(ShippedRouting.Staging.Routing, owner, repository, LabelOrder.Sorted(labels));

        Assert.Equal(rule, destination.Map(d => d.Rule).IfNoneUnsafe((string?)null));
        Assert.Equal(pool, destination.Map(d => d.Pool).IfNoneUnsafe((string?)null));
        Assert.All(destination, d => Assert.Equal($"{Registry}:ubuntu-24.04-staging", d.Image));
    }

    [Fact]
    public void Prod_images_carry_the_latest_tag()
    {
        var destination = Router.Resolve(ShippedRouting.Prod.Routing, Someone, "someone/project", ["ubuntu-24.04-riscv"]);
        Assert.Equal($"{Registry}:ubuntu-24.04-latest", destination.Map(d => d.Image).IfNone(string.Empty));
    }

    [Fact]
    public void The_first_covering_rule_decides_even_when_none_of_its_routes_match()
    {
        var table = new RoutingTable(
        [
            new RoutingRule("scoped", [new Scope(1, [])], [new LabelRoute(new LabelMatch.Includes(["a"]), "p1", "i")]),
            new RoutingRule("anyone", [], [new LabelRoute(new LabelMatch.Includes(["b"]), "p2", "i")]),
        ]);

        Assert.True(Router.Resolve(table, 1, "o/r", ["b"]).IsNone);
        Assert.Equal("p2", Router.Resolve(table, 2, "o/r", ["b"]).Map(d => d.Pool).IfNone(string.Empty));
    }

    [Theory]
    [InlineData(new[] { "b", "a" }, new[] { "a", "b" }, true)]
    [InlineData(new[] { "a" }, new[] { "a", "b" }, false)]
    [InlineData(new[] { "a", "a" }, new[] { "a" }, false)]
    [InlineData(new[] { "a", "B" }, new[] { "A", "b" }, true)]
    [InlineData(new[] { "B", "a" }, new[] { "b", "c" }, false)]
    public void An_exact_set_ignores_order_but_not_extra_labels(string[] rule, string[] job, bool matches)
    {
        Assert.Equal(matches, Router.Matches(Router.Exactly(rule), LabelOrder.Sorted(job)));
    }
}
