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
            return Unreadable(e);
        }

        if (file is null)
        {
            return "the file is empty (null)";
        }

        var problems = new List<string>();
        var config = Validate(file, prod ? "prod" : "staging", problems);
        if (problems.Count == 0)
        {
            return Right<string, RoutingConfig>(config);
        }

        var lines = KeyLines(json);
        return string.Join("; ", problems.Select(problem => WithLine(problem, lines)));
    }

    /// <summary>What the serializer could not read, in the file's terms: the line, the key, what is wrong; never a .NET type.</summary>
    private static string Unreadable(JsonException e)
    {
        var line = e.LineNumber is { } zeroBased ? $"line {zeroBased + 1}" : "the file";
        var key = e.Path is { Length: > 2 } path ? path[2..] : null; // "$.rules[0].name" → "rules[0].name"
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var name = key?.Split('.')[^1] ?? "?";
            return $"{line}, {key}: unknown key \"{name}\" (keys are snake_case: see the shipped routing.json)";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"{line}, {key}: must be {Expected(key ?? string.Empty)}";
        }

        // A syntax error: the reader's own words, without its position suffix (the line says where).
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is >= 0 and var at ? at : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var column = e.BytePositionInLine is { } position ? $", column {position + 1}" : string.Empty;
        return $"{line}{column}: not valid JSON: {(cut >= 0 ? message[..cut] : message).TrimEnd()}";
    }

    /// <summary>What a key holds, by its name in the file (the serializer names only its own types).</summary>
    private static string Expected(string key) => System.Text.RegularExpressions.Regex.Replace(key.Split('.')[^1], @"\[\d+\]$", string.Empty) switch
    {
        "id" or "owner" or "max_workers" => "a whole number (max_workers may be null)",
        "banned_entities" or "banned_senders" when key.EndsWith(']') => "a whole number (an owner or sender id)",
        "banned_entities" or "banned_senders" => "a list of whole numbers (owner or sender ids)",
        "public_repositories_only" or "fall_through" => "true or false",
        "prod" or "staging" when key.StartsWith("images.", StringComparison.Ordinal) => "a string",
        "registry" or "name" or "login" or "pool" or "image" or "provider" or "prod" => "a string",
        "images" or "tags" => "an object",
        _ when key.StartsWith("images.tags.", StringComparison.Ordinal) => "an object",
        _ when key.EndsWith(']') => "a string",
        _ => "a list in [ ]",
    };

    /// <summary>"rules[1].pool: unknown pool" → "line 23, rules[1].pool: unknown pool", from the nearest key the file has.</summary>
    private static string WithLine(string problem, IReadOnlyDictionary<string, int> lines)
    {
        var key = problem.Split(':', 2)[0];
        for (var candidate = key; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (lines.TryGetValue(candidate, out var line))
            {
                return $"line {line}, {problem}";
            }
        }

        return problem;
    }

    private static string Parent(string key)
    {
        var cut = Math.Max(key.LastIndexOf('.'), key.LastIndexOf('['));
        return cut > 0 ? key[..cut] : string.Empty;
    }

    /// <summary>The 1-based line of every key and array element of the file, by its path ("rules[1].routes[0].pool").</summary>
    private static Dictionary<string, int> KeyLines(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var containers = new Stack<(string Path, bool IsArray, int Next)>();
        var property = string.Empty;
        var (line, counted) = (1, 0);
        while (reader.Read())
        {
            for (; counted < reader.TokenStartIndex; counted++)
            {
                line += bytes[counted] == (byte)'\n' ? 1 : 0;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var parent = containers.Peek().Path;
                    property = parent.Length == 0 ? reader.GetString()! : $"{parent}.{reader.GetString()}";
                    lines.TryAdd(property, line);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    continue;
            }

            var path = property;
            if (containers.Count == 0)
            {
                path = string.Empty;
            }
            else if (containers.Peek().IsArray)
            {
                var array = containers.Pop();
                path = $"{array.Path}[{array.Next}]";
                containers.Push(array with { Next = array.Next + 1 });
                lines.TryAdd(path, line);
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                containers.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
            }
        }

        return lines;
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
        var admission = new Admission(
            Ids(file.BannedEntities, "banned_entities", problems), Ids(file.BannedSenders, "banned_senders", problems), file.PublicRepositoriesOnly ?? false);
        return new RoutingConfig(new RoutingTable(rules), pools, entities, admission);
    }

    /// <summary>A ban list: positive ids, each once.</summary>
    private static IReadOnlySet<long> Ids(List<long>? ids, string at, List<string> problems)
    {
        foreach (var (id, i) in (ids ?? []).Select((id, i) => (id, i)).Where(entry => entry.id <= 0))
        {
            problems.Add($"{at}[{i}]: must be a positive id (got {id})");
        }

        Unique((ids ?? []).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)), at, "id", problems);
        return new System.Collections.Generic.HashSet<long>(ids ?? []);
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
        if (images.Tags is null || images.Tags.Count == 0)
        {
            problems.Add("images.tags: at least one image is needed");
            return result;
        }

        // One name for every image, or each image its own (registry/runner/ubuntu-24.04:prod).
        var name = images.Name is null && images.Tags.Values.All(tags => tags.Name is not null)
            ? string.Empty
            : Text(images.Name, "images.name", problems);
        foreach (var (key, tags) in images.Tags)
        {
            var own = tags.Name is null ? name : Text(tags.Name, $"images.tags.{key}.name", problems).Trim('/');

            // Both environments are checked: a file that works in staging must not break prod.
            var prod = Text(tags.Prod, $"images.tags.{key}.prod", problems);
            var staging = Text(tags.Staging, $"images.tags.{key}.staging", problems);
            result[key] = $"{registry}/{own}:{(environment == "prod" ? prod : staging)}";
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

        var (all, repositories) = Staging(entity.Staging, $"{at}.staging", problems);
        return new EntityConfig(entity.Id ?? 0, entity.Login, entity.MaxWorkers, repositories, all);
    }

    /// <summary><c>"staging"</c>: true (every repository of the entity), false or missing (none), or a list of repository names.</summary>
    private static (bool All, string[] Repositories) Staging(JsonElement? staging, string at, List<string> problems)
    {
        switch (staging?.ValueKind)
        {
            case null or JsonValueKind.Null or JsonValueKind.False:
                return (false, []);
            case JsonValueKind.True:
                return (true, []);
            case JsonValueKind.Array when staging.Value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String):
                var names = staging.Value.EnumerateArray().Select(item => item.GetString()!).ToArray();
                if (names.Any(string.IsNullOrWhiteSpace))
                {
                    problems.Add($"{at}: repository names must not be empty");
                }

                return (false, names);
            default:
                problems.Add($"{at}: must be true (all of the entity's repositories), false, or a list of repository names");
                return (false, []);
        }
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
        return new RoutingRule(name, scopes, routes, rule.FallThrough ?? false);
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

        if (route.Provider is not null && string.IsNullOrWhiteSpace(route.Provider))
        {
            problems.Add($"{at}.provider: empty (leave it out when the board has no provider)");
        }

        return new LabelRoute(match, pool, image, route.Provider);
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

    private sealed record FileDto(
        ImagesDto? Images, List<string>? Pools, List<EntityDto>? Entities, List<long>? BannedEntities, List<long>? BannedSenders, bool? PublicRepositoriesOnly, List<RuleDto>? Rules);

    private sealed record ImagesDto(string? Registry, string? Name, Dictionary<string, TagsDto>? Tags);

    /// <param name="Name">This image's own name, in place of images.name.</param>
    private sealed record TagsDto(string? Name, string? Prod, string? Staging);

    private sealed record EntityDto(long? Id, string? Login, int? MaxWorkers, JsonElement? Staging);

    private sealed record RuleDto(string? Name, List<ScopeDto>? AppliesTo, bool? FallThrough, List<RouteDto>? Routes);

    private sealed record ScopeDto(long? Owner, List<string>? Repositories);

    private sealed record RouteDto(List<string>? Labels, List<string>? LabelsInclude, List<string>? AnyLabelContains, string? Pool, string? Image, string? Provider);
}
