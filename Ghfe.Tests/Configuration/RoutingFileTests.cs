using Ghfe.Configuration;
using Ghfe.Routing;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Configuration;

public class RoutingFileTests
{
    private static readonly string Shipped = File.ReadAllText(RoutingFile.ShippedPath);

    private static string Problem(string json) =>
        RoutingFile.Parse(json, prod: false).Match(Right: _ => "(loaded)", Left: problem => problem);

    [Fact]
    public void The_shipped_file_holds_the_production_rules_and_entities()
    {
        var config = ShippedRouting.Staging;

        Assert.Equal(["pytorch", "ggml", "default"], config.Routing.Rules.Select(rule => rule.Name));
        Assert.Equal(
            [(152654596L, (int?)null), (21003710L, 20), (134263123L, 20), (660779L, null)],
            config.Entities.Select(entity => (entity.Id, entity.MaxWorkers)));
        Assert.Equal(
            ["riscv-runner", "riscv-runner-app", "riscv-runner-images", "riscv-runner-sample", "riscv-runner-device-plugin"],
            config.Entities[0].StagingRepositories);
        Assert.Equal(["riscv-runner-sample"], config.Entities[3].StagingRepositories);
    }

    [Fact]
    public void A_new_label_is_a_configuration_change_only()
    {
        var json = Shipped.Replace(
            """{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" }""",
            """
            { "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" },
            { "labels": ["ubuntu-24.04-riscv-2xlarge"], "pool": "cloudv10x-pioneer", "image": "ubuntu-24.04" },
            { "labels": ["ubuntu-26.04-riscv-rvv"], "pool": "cloudv10x-rvv", "image": "ubuntu-26.04" }
            """,
            StringComparison.Ordinal);
        Assert.NotEqual(Shipped, json);
        var config = RoutingFile.Parse(json, prod: true).Match(Right: c => c, Left: problem => throw new InvalidOperationException(problem));

        var pioneer = Router.Resolve(config.Routing, 42, "someone/project", ["ubuntu-24.04-riscv-2xlarge"]);
        var rvv = Router.Resolve(config.Routing, 42, "someone/project", ["ubuntu-26.04-riscv-rvv"]);

        Assert.Equal("cloudv10x-pioneer", pioneer.Map(d => d.Pool).IfNone(string.Empty));
        Assert.EndsWith("riscv-runner:ubuntu-26.04-latest", rvv.Map(d => d.Image).IfNone(string.Empty), StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_may_name_its_provider_and_the_destination_carries_it()
    {
        var json = Shipped.Replace(
            """{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" }""",
            """{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04", "provider": "scaleway" }""",
            StringComparison.Ordinal);
        Assert.NotEqual(Shipped, json);
        var config = RoutingFile.Parse(json, prod: true).Match(Right: c => c, Left: problem => throw new InvalidOperationException(problem));

        var destination = Router.Resolve(config.Routing, 42, "someone/project", ["ubuntu-24.04-riscv"]);
        var elsewhere = Router.Resolve(config.Routing, 21003710, "pytorch/pytorch", ["ubuntu-24.04-riscv"]);

        Assert.Equal("scaleway", destination.Map(d => d.Provider).IfNone("(no destination)"));
        Assert.True(elsewhere.Match(Some: d => d.Provider is null, None: () => false));
        Assert.Contains("pool scw-em-rv1 (provider scaleway), image", string.Join("\n", RuleText.Lines(config.Routing)), StringComparison.Ordinal);
        Assert.Contains(
            "routes[0].provider: empty",
            Problem(json.Replace("\"provider\": \"scaleway\"", "\"provider\": \" \"", StringComparison.Ordinal)),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"pool\": \"scw-em-rv1\", \"image\": \"ubuntu-24.04\" }\n      ]\n    }\n  ]", "\"pool\": \"nowhere\", \"image\": \"ubuntu-24.04\" }\n      ]\n    }\n  ]", "rules[2].routes[0].pool: unknown pool \"nowhere\"")]
    [InlineData("\"image\": \"ubuntu-24.04\" }\n      ]\n    }\n  ]", "\"image\": \"debian-13\" }\n      ]\n    }\n  ]", "rules[2].routes[0].image: unknown image \"debian-13\"")]
    [InlineData("\"name\": \"ggml\"", "\"name\": \"pytorch\"", "rules: name \"pytorch\" appears 2 times")]
    [InlineData("\"labels_include\"", "\"labels_included\"", "unknown key \"labels_included\"")]
    [InlineData("{ \"owner\": 21003710 }", "{ \"owner\": -1 }", "rules[0].applies_to[0].owner: must be a positive owner id")]
    [InlineData("\"max_workers\": 20 },\n    { \"id\": 134263123", "\"max_workers\": -3 },\n    { \"id\": 134263123", "entities[1].max_workers: must be null (unlimited) or at least 0")]
    [InlineData("\"prod\": \"ubuntu-24.04-latest\", ", "", "images.tags.ubuntu-24.04.prod: missing or empty")]
    [InlineData("{ \"labels\": [\"ubuntu-24.04-riscv\"], \"pool\": \"cloudv10x-jupiter\"", "{ \"labels\": [], \"pool\": \"cloudv10x-jupiter\"", "rules[1].routes[0].labels: needs at least one label")]
    [InlineData("{ \"labels\": [\"ubuntu-24.04-riscv\"], \"pool\": \"cloudv10x-jupiter\"", "{ \"labels\": [\"x\"], \"labels_include\": [\"y\"], \"pool\": \"cloudv10x-jupiter\"", "rules[1].routes[0]: needs exactly one of labels, labels_include, any_label_contains")]
    [InlineData("\"rules\": [", "\"rules\": [,", "not valid")]
    public void A_broken_file_is_refused_with_the_place_named(string find, string replace, string expected)
    {
        var json = Shipped.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Shipped, json);
        Assert.Contains(expected, Problem(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"max_workers\": 20 },", "\"max_workers\": 20, \"colour\": \"red\" },", "line 22, entities[1].colour: unknown key \"colour\"")]
    [InlineData("\"id\": 21003710", "\"id\": \"21003710\"", "line 22, entities[1].id: must be a whole number")]
    [InlineData("\"pools\": [", "\"pools\": {", "line 14, pools: must be a list in [ ]")]
    [InlineData("\"pools\": [", "\"pools\": [[", "line 14, pools[0]: must be a string")]
    [InlineData("\"rules\": [", "\"rules\": [,", "line 26, column 13: not valid JSON: ',' is an invalid start of a value")]
    [InlineData("\"pool\": \"cloudv10x-jupiter\"", "\"pool\": \"cloudv10x-mars\"", "line 45, rules[1].routes[0].pool: unknown pool \"cloudv10x-mars\"")]
    public void A_problem_names_the_line_and_the_key_and_never_a_dotnet_type(string find, string replace, string expected)
    {
        var json = Shipped.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Shipped, json);

        var problem = Problem(json);

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Dto", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_on_one_line()
    {
        var problem = Problem("""{ "images": { "registry": "r", "name": "n", "tags": { "u": { "prod": "p", "staging": "s" } } }, "pools": ["a"], "rules": [ { "name": "x", "routes": [ { "labels": ["l"], "pool": "b", "image": "v" } ] } ] }""");
        Assert.Contains("unknown pool \"b\"", problem, StringComparison.Ordinal);
        Assert.Contains("unknown image \"v\"", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void An_unreadable_file_names_its_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ghfe-no-such-routing.json");
        var problem = RoutingFile.Load(missing, prod: false).Match(Right: _ => "(loaded)", Left: p => p);
        Assert.StartsWith($"routing file {missing}: cannot read it", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    public void An_empty_file_is_refused(string json)
    {
        Assert.NotEqual("(loaded)", Problem(json));
    }
}
