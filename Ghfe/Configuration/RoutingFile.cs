using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ghfe.Routing;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Configuration;

/// <summary>
/// Reads and validates the routing file (JSON with // comments). Every problem is reported
/// at once, on one line, each named by its place in the file: a bad file never half-loads.
/// </summary>
public static class RoutingFile
{
    /// <summary>The file shipped next to the binary.</summary>
    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, "routing.json");

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static Either<string, RoutingConfig> Load(string path, bool prod) => Read(path, prod).Map(read => read.Config);

    /// <summary>The file, validated, with a fingerprint of the very bytes that were parsed.</summary>
    public static Either<string, (RoutingConfig Config, string Fingerprint)> Read(string path, bool prod)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"routing file {path}: cannot read it ({e.Message})";
        }

        var fingerprint = Fingerprint(bytes);
        return Parse(Encoding.UTF8.GetString(bytes), prod)
            .Map(config => (config, fingerprint))
            .MapLeft(problem => $"routing file {path}: {problem}");
    }

    /// <summary>A short hash of the file's bytes: the same bytes never reload twice.</summary>
    public static string Fingerprint(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    public static Either<string, RoutingConfig> Parse(string json, bool prod)
    {
        FileDto? file;
        try
        {
            file = JsonSerializer.Deserialize<FileDto>(json, Options);
        }
        catch (JsonException e)
        {
            return $"not valid: {e.Message}";
        }

        if (file is null)
        {
            return "the file is empty (null)";
        }

        var problems = new List<string>();
        var config = Validate(file, prod ? "prod" : "staging", problems);
        return problems.Count == 0 ? Right<string, RoutingConfig>(config) : string.Join("; ", problems);
    }

    private static RoutingConfig Validate(FileDto file, string environment, List<string> problems)
    {
        var images = Images(file.Images, environment, problems);
        var pools = Names(file.Pools, "pools", problems);
        var entities = (file.Entities ?? []).Select((entity, i) => Entity(entity, $"entities[{i}]", problems)).ToArray();
        Unique(entities.Select(e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "entities", "id", problems);

        if (file.Rules is null || file.Rules.Count == 0)
        {
            problems.Add("rules: at least one rule is needed");
        }

        var rules = (file.Rules ?? []).Select((rule, i) => Rule(rule, $"rules[{i}]", images, pools, problems)).ToArray();
        Unique(rules.Select(r => r.Name), "rules", "name", problems);
        return new RoutingConfig(new RoutingTable(rules), pools, entities);
    }

    private static Dictionary<string, string> Images(ImagesDto? images, string environment, List<string> problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (images is null)
        {
            problems.Add("images: missing");
            return result;
        }

        var registry = Text(images.Registry, "images.registry", problems).TrimEnd('/');
        var name = Text(images.Name, "images.name", problems);
        if (images.Tags is null || images.Tags.Count == 0)
        {
            problems.Add("images.tags: at least one image is needed");
            return result;
        }

        foreach (var (key, tags) in images.Tags)
        {
            // Both environments are checked: a file that works in staging must not break prod.
            var prod = Text(tags.Prod, $"images.tags.{key}.prod", problems);
            var staging = Text(tags.Staging, $"images.tags.{key}.staging", problems);
            result[key] = $"{registry}/{name}:{(environment == "prod" ? prod : staging)}";
        }

        return result;
    }

    private static EntityConfig Entity(EntityDto entity, string at, List<string> problems)
    {
        if (entity.Id is not > 0)
        {
            problems.Add($"{at}.id: must be a positive owner id");
        }

        if (entity.MaxWorkers is < 0)
        {
            problems.Add($"{at}.max_workers: must be null (unlimited) or at least 0");
        }

        var staging = (entity.Staging ?? []).ToArray();
        if (staging.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{at}.staging: repository names must not be empty");
        }

        return new EntityConfig(entity.Id ?? 0, entity.Login, entity.MaxWorkers, staging);
    }

    private static RoutingRule Rule(RuleDto rule, string at, Dictionary<string, string> images, IReadOnlyList<string> pools, List<string> problems)
    {
        var name = Text(rule.Name, $"{at}.name", problems);
        var scopes = (rule.AppliesTo ?? []).Select((scope, i) =>
        {
            if (scope.Owner is not > 0)
            {
                problems.Add($"{at}.applies_to[{i}].owner: must be a positive owner id");
            }

            return new Scope(scope.Owner ?? 0, scope.Repositories ?? []);
        }).ToArray();

        if (rule.Routes is null || rule.Routes.Count == 0)
        {
            problems.Add($"{at}.routes: at least one route is needed");
        }

        var routes = (rule.Routes ?? []).Select((route, i) => Route(route, $"{at}.routes[{i}]", images, pools, problems)).ToArray();
        return new RoutingRule(name, scopes, routes);
    }

    private static LabelRoute Route(RouteDto route, string at, Dictionary<string, string> images, IReadOnlyList<string> pools, List<string> problems)
    {
        var kinds = new (string Key, List<string>? Labels, Func<List<string>, LabelMatch> Make)[]
        {
            ("labels", route.Labels, labels => Router.Exactly(labels)),
            ("labels_include", route.LabelsInclude, labels => new LabelMatch.Includes(labels)),
            ("any_label_contains", route.AnyLabelContains, labels => new LabelMatch.AnyContains(labels)),
        }.Where(kind => kind.Labels is not null).ToArray();

        LabelMatch match = new LabelMatch.Includes([]);
        if (kinds.Length != 1)
        {
            problems.Add($"{at}: needs exactly one of labels, labels_include, any_label_contains");
        }
        else if (kinds[0].Labels!.Count == 0 || kinds[0].Labels!.Any(string.IsNullOrEmpty))
        {
            problems.Add($"{at}.{kinds[0].Key}: needs at least one label, none empty");
        }
        else
        {
            match = kinds[0].Make(kinds[0].Labels!);
        }

        var pool = Text(route.Pool, $"{at}.pool", problems);
        if (pool.Length > 0 && !pools.Contains(pool, StringComparer.Ordinal))
        {
            problems.Add($"{at}.pool: unknown pool \"{pool}\" (pools: {string.Join(", ", pools)})");
        }

        var imageKey = Text(route.Image, $"{at}.image", problems);
        if (!images.TryGetValue(imageKey, out var image))
        {
            image = string.Empty;
            if (imageKey.Length > 0)
            {
                problems.Add($"{at}.image: unknown image \"{imageKey}\" (images: {string.Join(", ", images.Keys)})");
            }
        }

        return new LabelRoute(match, pool, image);
    }

    private static IReadOnlyList<string> Names(List<string>? names, string at, List<string> problems)
    {
        if (names is null || names.Count == 0 || names.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{at}: needs at least one name, none empty");
            return names ?? [];
        }

        Unique(names, at, "name", problems);
        return names;
    }

    private static string Text(string? value, string at, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{at}: missing or empty");
            return string.Empty;
        }

        return value;
    }

    private static void Unique(IEnumerable<string> values, string at, string what, List<string> problems)
    {
        foreach (var repeated in values.Where(v => v.Length > 0).GroupBy(v => v).Where(g => g.Count() > 1))
        {
            problems.Add($"{at}: {what} \"{repeated.Key}\" appears {repeated.Count()} times");
        }
    }

    private sealed record FileDto(ImagesDto? Images, List<string>? Pools, List<EntityDto>? Entities, List<RuleDto>? Rules);

    private sealed record ImagesDto(string? Registry, string? Name, Dictionary<string, TagsDto>? Tags);

    private sealed record TagsDto(string? Prod, string? Staging);

    private sealed record EntityDto(long? Id, string? Login, int? MaxWorkers, List<string>? Staging);

    private sealed record RuleDto(string? Name, List<ScopeDto>? AppliesTo, List<RouteDto>? Routes);

    private sealed record ScopeDto(long? Owner, List<string>? Repositories);

    private sealed record RouteDto(List<string>? Labels, List<string>? LabelsInclude, List<string>? AnyLabelContains, string? Pool, string? Image);
}
