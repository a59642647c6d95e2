using Ghfe.Configuration;
using Ghfe.Routing;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Configuration;

/// <summary>The routing file's ban lists, non-public switch, staging per entity, fall_through and per-image names.</summary>
public class RoutingFileRefusalsTests
{
    /// <summary>A small valid file; <paramref name="extra"/> adds top-level keys, <paramref name="entity"/> and <paramref name="rule"/> keys to its one entity and rule.</summary>
    private static string File(string extra = "", string entity = "", string rule = "", string images = """
        "images": { "registry": "r.example", "name": "runner", "tags": { "u24": { "prod": "p", "staging": "s" } } },
        """) => $$"""
        {
          {{images}}
          "pools": ["board"],
          "entities": [{ "id": 1, "login": "one"{{entity}} }],
          {{extra}}
          "rules": [{ "name": "default"{{rule}}, "routes": [{ "labels": ["l"], "pool": "board", "image": "u24" }] }]
        }
        """;

    private static RoutingConfig Loaded(string json, bool prod = false) =>
        RoutingFile.Parse(json, prod).Match(Right: config => config, Left: problem => throw new InvalidOperationException(problem));

    private static string Problem(string json) =>
        RoutingFile.Parse(json, prod: false).Match(Right: _ => "(loaded)", Left: problem => problem);

    [Fact]
    public void Bans_and_the_non_public_switch_are_read_and_default_to_nobody_refused()
    {
        var admission = Loaded(File("""
            "banned_entities": [5, 6],
            "banned_senders": [9],
            "public_repositories_only": true,
            """)).Admission;

        Assert.Equal([5L, 6L], admission.BannedEntities.Order());
        Assert.Equal([9L], admission.BannedSenders.Order());
        Assert.True(admission.PublicOnly);
        Assert.False(Loaded(File()).Admission.RefusesAny);
    }

    [Theory]
    [InlineData("\"banned_entities\": [0],", "line 5, banned_entities[0]: must be a positive id (got 0)")]
    [InlineData("\"banned_senders\": [3, 3],", "line 5, banned_senders: id \"3\" appears 2 times")]
    [InlineData("\"banned_entities\": [\"x\"],", "line 5, banned_entities[0]: must be a whole number (an owner or sender id)")]
    [InlineData("\"banned_senders\": 3,", "line 5, banned_senders: must be a list of whole numbers (owner or sender ids)")]
    [InlineData("\"public_repositories_only\": \"yes\",", "line 5, public_repositories_only: must be true or false")]
    public void A_bad_ban_list_or_switch_is_named_with_its_line(string extra, string expected)
    {
        Assert.Equal(expected, Problem(File(extra)));
    }

    [Fact]
    public void Staging_is_true_for_every_repository_or_a_list_of_some()
    {
        var all = Loaded(File(entity: ", \"staging\": true")).Entities[0];
        var some = Loaded(File(entity: ", \"staging\": [\"a\", \"b\"]")).Entities[0];
        var none = Loaded(File(entity: ", \"staging\": false")).Entities[0];

        Assert.Equal((true, 0), (all.AllToStaging, all.StagingRepositories.Count));
        Assert.False(some.AllToStaging);
        Assert.Equal(["a", "b"], some.StagingRepositories);
        Assert.Equal((false, 0), (none.AllToStaging, none.StagingRepositories.Count));
    }

    [Theory]
    [InlineData(", \"staging\": \"yes\"", "line 4, entities[0].staging: must be true (all of the entity's repositories), false, or a list of repository names")]
    [InlineData(", \"staging\": [1]", "line 4, entities[0].staging: must be true (all of the entity's repositories), false, or a list of repository names")]
    [InlineData(", \"staging\": [\"\"]", "line 4, entities[0].staging: repository names must not be empty")]
    public void A_bad_staging_shape_says_which_shapes_are_allowed(string entity, string expected)
    {
        Assert.Equal(expected, Problem(File(entity: entity)));
    }

    [Fact]
    public void Fall_through_is_read_per_rule_and_off_by_default()
    {
        Assert.True(Loaded(File(rule: ", \"fall_through\": true")).Routing.Rules[0].FallsThrough);
        Assert.False(Loaded(File()).Routing.Rules[0].FallsThrough);
        Assert.Equal("line 6, rules[0].fall_through: must be true or false", Problem(File(rule: ", \"fall_through\": 1")));
    }

    [Fact]
    public void An_image_may_name_itself_under_the_registry()
    {
        var images = """
            "images": { "registry": "ghcr.io/o/r/", "tags": { "u24": { "name": "runner/ubuntu-24.04", "prod": "prod", "staging": "staging" } } },
            """;

        Assert.Equal("ghcr.io/o/r/runner/ubuntu-24.04:prod", Loaded(File(images: images), prod: true).Routing.Rules[0].Routes[0].Image);
        Assert.Equal("ghcr.io/o/r/runner/ubuntu-24.04:staging", Loaded(File(images: images)).Routing.Rules[0].Routes[0].Image);
    }

    [Fact]
    public void Without_images_name_every_image_must_name_itself()
    {
        var images = """
            "images": { "registry": "r", "tags": { "u24": { "prod": "p", "staging": "s" } } },
            """;

        Assert.Equal("line 2, images.name: missing or empty", Problem(File(images: images)));
    }

    [Fact]
    public void The_control_plane_file_loads_in_both_environments_and_check_config_accepts_it()
    {
        Assert.Equal(4, ControlPlaneRouting.Staging.Routing.Rules.Count);
        Assert.Equal(4, ControlPlaneRouting.Prod.Routing.Rules.Count);
        Assert.True(System.IO.File.Exists(ControlPlaneRouting.Path));
    }

    [Fact]
    public void The_shipped_file_states_that_nobody_is_refused()
    {
        var shipped = System.IO.File.ReadAllText(RoutingFile.ShippedPath);

        Assert.Contains("\"public_repositories_only\": false", shipped, StringComparison.Ordinal);
        Assert.False(ShippedRouting.Prod.Admission.RefusesAny);
        Assert.All(ShippedRouting.Prod.Entities, entity => Assert.False(entity.AllToStaging));
    }
}
