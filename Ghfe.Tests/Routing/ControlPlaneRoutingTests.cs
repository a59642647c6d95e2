using Ghfe.Routing;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Routing;

/// <summary>
/// routing.control-plane.json routes as riseproject-dev/riscv-runner's control plane does: each
/// case of its selector table (control-plane/cmd/ghfe/payload_test.go, TestMatchLabelsToK8s) gives
/// the same board (pool), provider and image here.
/// </summary>
public class ControlPlaneRoutingTests
{
    private const long RiseProject = 152654596;
    private const long Ggml = 134263123;
    private const long MengZhuo = 885662;
    private const long RuyiAi = 257673382;
    private const long Luhenry = 660779;
    private const long Someone = 999;

    private const string Ubuntu24 = "ghcr.io/riseproject-dev/riscv-runner/runner/ubuntu-24.04";
    private const string Ubuntu26 = "ghcr.io/riseproject-dev/riscv-runner/runner/ubuntu-26.04";

    /// <summary>name, owner, repository, labels, then board, provider and image (null: ignored, no label matched).</summary>
    public static TheoryData<string, long, string, string[], string?, string?, string?> Cases => new()
    {
        { "general ubuntu-24", Someone, "x/y", ["ubuntu-24.04-riscv"], "scaleway-em-rv1", "scaleway", Ubuntu24 },
        { "general ubuntu-26", Someone, "x/y", ["ubuntu-26.04-riscv"], "spacemit-k3", "rise", Ubuntu26 },
        { "general rva23", Someone, "x/y", ["ubuntu-24.04-riscv", "rva23"], "spacemit-k3", "iscas", Ubuntu24 },
        { "general rva23 reversed order", Someone, "x/y", ["rva23", "ubuntu-24.04-riscv"], "spacemit-k3", "iscas", Ubuntu24 },
        { "general no labels", Someone, "x/y", [], null, null, null },
        { "general other", Someone, "x/y", ["ubuntu-98.04-riscv"], null, null, null },
        { "ggml ubuntu-24", Ggml, "ggml/llama.cpp", ["ubuntu-24.04-riscv"], "spacemit-k1", "cloudv10x", Ubuntu24 },
        { "ggml with extra label", Ggml, "ggml/llama.cpp", ["ubuntu-24.04-riscv", "extra"], null, null, null },
        { "ggml scope blocks ubuntu-26", Ggml, "ggml/llama.cpp", ["ubuntu-26.04-riscv"], null, null, null },
        { "riseproject llama.cpp ubuntu-24", RiseProject, "riseproject-dev/llama.cpp", ["ubuntu-24.04-riscv"], "spacemit-k1", "cloudv10x", Ubuntu24 },
        { "riseproject llama.cpp-validation ubuntu-24", RiseProject, "riseproject-dev/llama.cpp-validation", ["ubuntu-24.04-riscv"], "spacemit-k1", "cloudv10x", Ubuntu24 },
        { "mengzhuo ubuntu-24", MengZhuo, "mengzhuo/r", ["ubuntu-24.04-riscv"], "spacemit-k1", "mengzhuo", Ubuntu24 },
        { "ruyiai xlarge", RuyiAi, "ruyi/r", ["ubuntu-24.04-riscv", "rva23", "xlarge"], "spacemit-v100", "iscas", Ubuntu24 },
        { "luhenry xlarge", Luhenry, "luhenry/r", ["xlarge", "rva23", "ubuntu-24.04-riscv"], "spacemit-v100", "iscas", Ubuntu24 },
        { "ruyiai falls through to default", RuyiAi, "ruyi/r", ["ubuntu-24.04-riscv"], "scaleway-em-rv1", "scaleway", Ubuntu24 },

        // Not in the control plane's table, read from its code: the other scopes fall through too, the ggml one does not.
        { "mengzhuo falls through to rva23", MengZhuo, "mengzhuo/r", ["ubuntu-24.04-riscv", "rva23"], "spacemit-k3", "iscas", Ubuntu24 },
        { "mengzhuo falls through to ubuntu-26", MengZhuo, "mengzhuo/r", ["ubuntu-26.04-riscv"], "spacemit-k3", "rise", Ubuntu26 },
        { "luhenry falls through to ubuntu-26", Luhenry, "luhenry/r", ["ubuntu-26.04-riscv"], "spacemit-k3", "rise", Ubuntu26 },
        { "riseproject other repository", RiseProject, "riseproject-dev/riscv-runner", ["ubuntu-24.04-riscv", "rva23"], "spacemit-k3", "iscas", Ubuntu24 },
        { "ggml scope blocks rva23", RiseProject, "riseproject-dev/llama.cpp", ["ubuntu-24.04-riscv", "rva23"], null, null, null },
        { "pytorch has no rule of its own", 21003710, "pytorch/pytorch", ["linux.riscv64.xlarge"], null, null, null },

        // Labels compare ignoring case, as GitHub's do (the control plane compares them exactly): issue 23 keeps ghfe's rule.
        { "case ignored", Someone, "x/y", ["Ubuntu-24.04-RISCV"], "scaleway-em-rv1", "scaleway", Ubuntu24 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Routes_each_case_as_the_control_plane_does(string name, long owner, string repository, string[] labels, string? board, string? provider, string? image)
    {
        var destination = Router.Resolve(ControlPlaneRouting.Staging.Routing, owner, repository, LabelOrder.Sorted(labels)).MatchUnsafe(Some: d => d, None: () => null);

        Assert.True(board == destination?.Pool, $"{name}: board {destination?.Pool ?? "(none)"}, expected {board ?? "(none)"}");
        Assert.Equal(provider, destination?.Provider);
        Assert.Equal(image is null ? null : $"{image}:staging", destination?.Image);
    }

    [Fact]
    public void Prod_images_carry_the_prod_tag()
    {
        var destination = Router.Resolve(ControlPlaneRouting.Prod.Routing, Someone, "x/y", ["ubuntu-26.04-riscv"]);
        Assert.Equal($"{Ubuntu26}:prod", destination.Map(d => d.Image).IfNone(string.Empty));
    }

    [Fact]
    public void The_file_holds_the_control_planes_entities_bans_and_staging_entity()
    {
        var config = ControlPlaneRouting.Prod;

        Assert.Equal(["scaleway-em-rv1", "spacemit-k1", "spacemit-k3", "spacemit-v100"], config.Pools);
        Assert.Equal(
            [(152654596L, (int?)40, false), (277861810L, 40, true), (21003710L, 20, false), (134263123L, 20, false), (660779L, 40, false)],
            config.Entities.Select(entity => (entity.Id, entity.MaxWorkers, entity.AllToStaging)));
        Assert.Equal([325883364L, 325940811L], config.Admission.BannedEntities.Order());
        Assert.Equal([13410920L, 326547083L], config.Admission.BannedSenders.Order());
        Assert.True(config.Admission.PublicOnly);
        Assert.Equal([false, true, true, false], config.Routing.Rules.Select(rule => rule.FallsThrough));
    }
}
