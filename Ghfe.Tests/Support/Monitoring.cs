using System.Diagnostics;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Ghfe.Tests.Support;

/// <summary>One alerting rule of deploy/monitoring/ghfe-alerts.rules.yml.</summary>
public sealed record AlertRule(string Group, string Name, string Expr, string? For, IReadOnlyDictionary<string, string> Annotations);

/// <summary>One query of deploy/monitoring/ghfe-dashboard.json.</summary>
public sealed record DashboardQuery(string Panel, string RefId, string Expr);

/// <summary>What deploy/monitoring ships: the rule file, its promtool test, the dashboard; and promtool.</summary>
public static class Monitoring
{
    public static string Directory => Path.Combine(RepositoryRoot.Path, "deploy", "monitoring");

    public static string RulesFile => Path.Combine(Directory, "ghfe-alerts.rules.yml");

    public static string RulesTestFile => Path.Combine(Directory, "ghfe-alerts.test.yml");

    public static string DashboardFile => Path.Combine(Directory, "ghfe-dashboard.json");

    public static YamlMappingNode Yaml(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static IReadOnlyList<AlertRule> Alerts() => Alerts(Yaml(RulesFile));

    public static IReadOnlyList<AlertRule> Alerts(YamlMappingNode rules) =>
    [
        .. from groupNode in (YamlSequenceNode)rules["groups"]
           let grp = (YamlMappingNode)groupNode
           from ruleNode in (YamlSequenceNode)grp["rules"]
           let rule = (YamlMappingNode)ruleNode
           select new AlertRule(
               Text(grp["name"]),
               Text(rule["alert"]),
               Text(rule["expr"]),
               rule.Children.TryGetValue("for", out var duration) ? Text(duration) : null,
               ((YamlMappingNode)rule["annotations"]).Children.ToDictionary(pair => Text(pair.Key), pair => Text(pair.Value))),
    ];

    public static IReadOnlyList<DashboardQuery> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        return
        [
            .. from panel in dashboard.RootElement.GetProperty("panels").EnumerateArray()
               from target in panel.GetProperty("targets").EnumerateArray()
               select new DashboardQuery(panel.GetProperty("title").GetString()!, target.GetProperty("refId").GetString()!, target.GetProperty("expr").GetString()!),
        ];
    }

    /// <summary>The shipped rule file with one alert's expression and hold time changed (a test threshold), as YAML text.</summary>
    public static string WithThreshold(string alert, string from, string to, string holdFor)
    {
        var rules = Yaml(RulesFile);
        var rule = ((YamlSequenceNode)rules["groups"]).Cast<YamlMappingNode>()
            .SelectMany(grp => ((YamlSequenceNode)grp["rules"]).Cast<YamlMappingNode>())
            .Single(r => r.Children.TryGetValue("alert", out var name) && Text(name) == alert);
        var expr = Text(rule["expr"]);
        if (!expr.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{alert}'s expression no longer holds '{from}': {expr}");
        }

        rule.Children[new YamlScalarNode("expr")] = new YamlScalarNode(expr.Replace(from, to, StringComparison.Ordinal));
        rule.Children[new YamlScalarNode("for")] = new YamlScalarNode(holdFor);
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(rules)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>Runs promtool (Debian's prometheus package; CI installs it); its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;
}
