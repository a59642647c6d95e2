using System.Text.Json;
using System.Text.RegularExpressions;
using Ghfe.Tests.Docs;
using Ghfe.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Ghfe.Tests.Deploy;

/// <summary>deploy/monitoring: the alert rules pass promtool's checks and unit tests; every alert has a runbook; the dashboard imports.</summary>
public sealed partial class MonitoringTests
{
    /// <summary>What the issue asked an operator to be paged or ticketed for, at least.</summary>
    private static readonly string[] RequiredAlerts =
    [
        "GhfeJobWaitingTooLong", "GhfeDeliveriesNotStored", "GhfeJournalNotDraining", "GhfeSignatureFailures",
        "GhfeRoutingReloadRefused", "GhfeDown", "GhfeQueueGaugesStale",
    ];

    [Fact]
    public async Task Promtool_checks_the_rule_file()
    {
        var (exitCode, output) = await Monitoring.PromtoolAsync("check", "rules", Monitoring.RulesFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {Monitoring.Alerts().Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_the_rules_pass()
    {
        var (exitCode, output) = await Monitoring.PromtoolAsync("test", "rules", Monitoring.RulesTestFile);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rules_hold_the_alerts_asked_for()
    {
        Assert.Superset(RequiredAlerts.ToHashSet(), Monitoring.Alerts().Select(a => a.Name).ToHashSet());
    }

    [Fact]
    public void Every_alert_is_unit_tested_firing_and_staying_quiet()
    {
        var tests = ((YamlSequenceNode)Monitoring.Yaml(Monitoring.RulesTestFile)["tests"]).Cast<YamlMappingNode>()
            .SelectMany(test => ((YamlSequenceNode)test["alert_rule_test"]).Cast<YamlMappingNode>())
            .Select(check => (Alert: ((YamlScalarNode)check["alertname"]).Value!, Fires: ((YamlSequenceNode)check["exp_alerts"]).Children.Count > 0))
            .ToArray();

        Assert.All(Monitoring.Alerts(), alert =>
        {
            Assert.Contains((alert.Name, true), tests);
            Assert.Contains((alert.Name, false), tests);
        });
    }

    [Fact]
    public void Every_alert_has_a_summary_a_description_with_its_value_and_a_runbook_in_the_operations_page()
    {
        var anchors = MarkdownLinks.Anchors(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "operations.md")));

        Assert.All(Monitoring.Alerts(), alert =>
        {
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault("summary")), $"{alert.Name} has no summary");
            var description = alert.Annotations.GetValueOrDefault("description") ?? string.Empty;
            Assert.True(description.Contains("$value", StringComparison.Ordinal) || Regex.IsMatch(description, "[0-9]"), $"{alert.Name}'s description gives no numbers");
            var runbook = new Uri(alert.Annotations["runbook_url"]);
            Assert.EndsWith("/docs/operations.md", runbook.AbsolutePath, StringComparison.Ordinal);
            Assert.Equal($"#{alert.Name.ToLowerInvariant()}", runbook.Fragment);
            Assert.Contains(runbook.Fragment[1..], anchors);
        });
    }

    [Fact]
    public void The_prometheus_rule_holds_the_same_groups_as_the_rule_file()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, "deploy", "k8s", "prometheusrule.yaml")))
        {
            stream.Load(reader);
        }

        var manifest = (YamlMappingNode)stream.Documents.Single().RootNode;

        Assert.Equal("monitoring.coreos.com/v1", ((YamlScalarNode)manifest["apiVersion"]).Value);
        Assert.Equal("PrometheusRule", ((YamlScalarNode)manifest["kind"]).Value);
        Assert.Equal(Canonical(Monitoring.Yaml(Monitoring.RulesFile)["groups"]), Canonical(((YamlMappingNode)manifest["spec"])["groups"]));
    }

    [Fact]
    public void The_dashboard_imports_with_the_data_source_as_a_variable_and_has_the_panels_asked_for()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Monitoring.DashboardFile));
        var root = dashboard.RootElement;
        var variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());
        var source = "${" + variable.GetProperty("name").GetString() + "}";
        Assert.Equal(JsonValueKind.Null, root.GetProperty("id").ValueKind);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("uid").GetString()));

        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.All(panels, panel =>
        {
            Assert.Equal(source, panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.All(panel.GetProperty("targets").EnumerateArray(), target => Assert.Equal(source, target.GetProperty("datasource").GetProperty("uid").GetString()));
        });
        Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.Equal(
            [
                "Deliveries by outcome", "Answer latency", "Jobs per pool", "Oldest pending job per pool", "Workers per pool",
                "Journal backlog and spooled deliveries", "Database time", "Signature failures",
            ],
            panels.Select(p => p.GetProperty("title").GetString()));
        var queries = Monitoring.DashboardQueries();
        Assert.Contains(queries, q => q.Expr.Contains("histogram_quantile(0.99", StringComparison.Ordinal) && q.Expr.Contains("ghfe_answer_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Expr.Contains("histogram_quantile(0.5", StringComparison.Ordinal) && q.Expr.Contains("ghfe_answer_duration_seconds", StringComparison.Ordinal));
    }

    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode scalar => JsonSerializer.Serialize(scalar.Value),
        YamlSequenceNode sequence => "[" + string.Join(",", sequence.Select(Canonical)) + "]",
        YamlMappingNode mapping => "{" + string.Join(",", mapping.Children.OrderBy(p => ((YamlScalarNode)p.Key).Value, StringComparer.Ordinal).Select(p => Canonical(p.Key) + ":" + Canonical(p.Value))) + "}",
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
