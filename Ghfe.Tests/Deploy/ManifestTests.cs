using Ghfe.Configuration;
using Ghfe.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Ghfe.Tests.Deploy;

/// <summary>deploy/: every manifest parses and carries what running ghfe safely needs.</summary>
public class ManifestTests
{
    private static readonly string Root = RepositoryRoot.Path;

    private static string K8s => Path.Combine(Root, "deploy", "k8s");

    private static YamlMappingNode Manifest(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(K8s, file));
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var step in path)
        {
            node = int.TryParse(step, out var index)
                ? ((YamlSequenceNode)node).Children[index]
                : ((YamlMappingNode)node).Children[new YamlScalarNode(step)];
        }

        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    public static TheoryData<string> Files => new(Directory.GetFiles(K8s, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_manifest_parses_with_a_kind_and_a_name(string file)
    {
        var manifest = Manifest(file);
        Assert.NotEmpty(Scalar(manifest, "apiVersion"));
        Assert.NotEmpty(Scalar(manifest, "kind"));
        if (Scalar(manifest, "kind") != "Kustomization")
        {
            Assert.NotEmpty(Scalar(manifest, "metadata", "name"));
        }
    }

    [Fact]
    public void Kustomization_lists_every_manifest_but_the_example_secret_and_the_prometheus_rule()
    {
        // The PrometheusRule needs the Prometheus Operator's CRD: applied on its own where it runs.
        var listed = ((YamlSequenceNode)At(Manifest("kustomization.yaml"), "resources")).Children.Select(n => ((YamlScalarNode)n).Value).ToArray();
        var files = Directory.GetFiles(K8s, "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not ("kustomization.yaml" or "secret.example.yaml" or "prometheusrule.yaml")).ToArray();
        Assert.Equal(files.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void One_images_entry_of_the_kustomization_sets_the_image_of_the_statefulset_and_the_cronjob()
    {
        var entry = Assert.Single(((YamlSequenceNode)At(Manifest("kustomization.yaml"), "images")).Children);
        var name = Scalar(entry, "name");
        var listed = ((YamlSequenceNode)At(Manifest("kustomization.yaml"), "resources")).Children.Select(n => ((YamlScalarNode)n).Value!);
        var images = listed.SelectMany(file => ImagesIn(Manifest(file)).Select(image => (file, image))).ToArray();

        Assert.Equal(
            [("cronjob-redeliver.yaml", name), ("statefulset.yaml", name)],
            images.Order());
        Assert.EndsWith("/ghfe", Scalar(entry, "newName"), StringComparison.Ordinal);
        Assert.NotEmpty(Scalar(entry, "newTag"));
    }

    /// <summary>Every <c>image:</c> value anywhere in a manifest.</summary>
    private static IEnumerable<string> ImagesIn(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(pair =>
            pair.Key is YamlScalarNode { Value: "image" } && pair.Value is YamlScalarNode image ? [image.Value!] : ImagesIn(pair.Value)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(ImagesIn),
        _ => [],
    };

    [Fact]
    public void The_statefulset_runs_two_hardened_replicas_with_probes_and_limits()
    {
        var deployment = Manifest("statefulset.yaml");
        var pod = At(deployment, "spec", "template", "spec");
        var container = At(pod, "containers", "0");

        Assert.Equal("StatefulSet", Scalar(deployment, "kind"));
        Assert.Equal("2", Scalar(deployment, "spec", "replicas"));
        Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.NotEmpty(Scalar(container, "resources", "requests", "cpu"));
        Assert.NotEmpty(Scalar(container, "resources", "requests", "memory"));
        Assert.NotEmpty(Scalar(container, "resources", "limits", "cpu"));
        Assert.NotEmpty(Scalar(container, "resources", "limits", "memory"));
        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("8080", Scalar(container, "ports", "0", "containerPort"));
    }

    [Fact]
    public void The_statefulset_sets_its_memory_on_purpose()
    {
        // docs/operations.md, "Memory": the figures of the flood test hold for these settings (FloodTests reads them from here).
        var container = At(Manifest("statefulset.yaml"), "spec", "template", "spec", "containers", "0");
        var env = ((YamlSequenceNode)At(container, "env")).Children.ToDictionary(e => Scalar(e, "name"), e => e);

        Assert.Equal("256Mi", Scalar(container, "resources", "limits", "memory"));
        Assert.Equal(Scalar(container, "resources", "limits", "memory"), Scalar(container, "resources", "requests", "memory"));
        Assert.Equal("0", Scalar(env["DOTNET_gcServer"], "value"));
        Assert.Equal("0x32", Scalar(env["DOTNET_GCHeapHardLimitPercent"], "value"));
    }

    [Fact]
    public void Secrets_come_from_a_secret_and_the_journal_and_routing_from_volumes()
    {
        var container = At(Manifest("statefulset.yaml"), "spec", "template", "spec", "containers", "0");
        var env = ((YamlSequenceNode)At(container, "env")).Children.ToDictionary(e => Scalar(e, "name"), e => e);
        var mounts = ((YamlSequenceNode)At(container, "volumeMounts")).Children.ToDictionary(m => Scalar(m, "mountPath"), m => Scalar(m, "name"));

        Assert.Equal("ghfe-secrets", Scalar(env["GHAPP_WEBHOOK_SECRET"], "valueFrom", "secretKeyRef", "name"));
        Assert.Equal("ghfe-secrets", Scalar(env["POSTGRES_URL"], "valueFrom", "secretKeyRef", "name"));
        Assert.Equal("routing", mounts["/etc/ghfe"]);
        Assert.Equal("/etc/ghfe/routing.json", Scalar(env["GHFE_CONFIG"], "value"));
        Assert.Equal("spool", mounts[Scalar(env["GHFE_SPOOL_DIR"], "value")]);
    }

    [Fact]
    public void The_journal_outlives_its_pod_on_a_claim_of_its_replica()
    {
        // A replacement pod (rollout, drain, crash) mounts its predecessor's claim and replays what it acknowledged with 202.
        var statefulSet = Manifest("statefulset.yaml");
        var pod = At(statefulSet, "spec", "template", "spec");
        var claims = ((YamlSequenceNode)At(statefulSet, "spec", "volumeClaimTemplates")).Children;
        var volumes = ((YamlSequenceNode)At(pod, "volumes")).Children.Select(v => Scalar(v, "name"));
        var spool = Assert.Single(claims, claim => Scalar(claim, "metadata", "name") == "spool");

        Assert.Equal("StatefulSet", Scalar(statefulSet, "kind"));
        Assert.DoesNotContain("spool", volumes);
        Assert.Equal("ReadWriteOnce", Scalar(spool, "spec", "accessModes", "0"));
        Assert.NotEmpty(Scalar(spool, "spec", "resources", "requests", "storage"));
        Assert.Equal("Retain", Scalar(statefulSet, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"));
        Assert.Equal("Retain", Scalar(statefulSet, "spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"));
        Assert.Equal("1654", Scalar(pod, "securityContext", "fsGroup"));
    }

    [Fact]
    public void The_grace_period_holds_the_deliveries_in_flight_and_the_drain()
    {
        var pod = At(Manifest("statefulset.yaml"), "spec", "template", "spec");
        var grace = TimeSpan.FromSeconds(int.Parse(Scalar(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture));
        // The manifest leaves GHFE_DB_DEADLINE at its default.
        var deadline = GhfeSettings.Read(_ => null).Match(Right: settings => settings.DatabaseDeadline, Left: problem => throw new InvalidOperationException(problem));

        Assert.DoesNotContain("GHFE_DB_DEADLINE", ((YamlSequenceNode)At(pod, "containers", "0", "env")).Children.Select(e => Scalar(e, "name")));
        Assert.True(deadline + Ghfe.Store.JournalReplayer.DrainBudget < grace, $"{deadline} + {Ghfe.Store.JournalReplayer.DrainBudget} must fit in {grace}");
    }

    [Fact]
    public void The_service_and_the_disruption_budget_select_the_pods()
    {
        var selector = Scalar(Manifest("statefulset.yaml"), "spec", "selector", "matchLabels", "app.kubernetes.io/name");
        Assert.Equal(selector, Scalar(Manifest("service.yaml"), "spec", "selector", "app.kubernetes.io/name"));
        Assert.Equal("http", Scalar(Manifest("service.yaml"), "spec", "ports", "0", "targetPort"));
        Assert.Equal(selector, Scalar(Manifest("pdb.yaml"), "spec", "selector", "matchLabels", "app.kubernetes.io/name"));
        Assert.Equal("1", Scalar(Manifest("pdb.yaml"), "spec", "minAvailable"));
    }

    [Fact]
    public void The_redeliver_cronjob_runs_every_five_minutes_alone_with_the_app_keys_from_the_secret()
    {
        var cronJob = Manifest("cronjob-redeliver.yaml");
        var pod = At(cronJob, "spec", "jobTemplate", "spec", "template");
        var container = At(pod, "spec", "containers", "0");
        var env = ((YamlSequenceNode)At(container, "env")).Children.ToDictionary(e => Scalar(e, "name"), e => e);
        var deployment = Manifest("statefulset.yaml");
        var webhookEnv = ((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers", "0", "env")).Children.Select(e => Scalar(e, "name"));

        Assert.Equal("CronJob", Scalar(cronJob, "kind"));
        Assert.Equal("*/5 * * * *", Scalar(cronJob, "spec", "schedule"));
        Assert.Equal("Forbid", Scalar(cronJob, "spec", "concurrencyPolicy"));
        Assert.Equal("redeliver", Scalar(container, "args", "0"));
        Assert.Equal(("--max", "100"), (Scalar(container, "args", "1"), Scalar(container, "args", "2")));
        Assert.Equal(Scalar(deployment, "spec", "template", "spec", "containers", "0", "image"), Scalar(container, "image"));
        foreach (var key in new[] { "GHAPP_ORG_PRIVATE_KEY", "GHAPP_PERSONAL_PRIVATE_KEY" })
        {
            Assert.Equal("ghfe-secrets", Scalar(env[key], "valueFrom", "secretKeyRef", "name"));
            Assert.Equal("true", Scalar(env[key], "valueFrom", "secretKeyRef", "optional"));
            Assert.DoesNotContain(key, webhookEnv);
        }

        Assert.Equal("Never", Scalar(pod, "spec", "restartPolicy"));
        Assert.Equal("true", Scalar(pod, "spec", "securityContext", "runAsNonRoot"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.NotEqual(Scalar(deployment, "spec", "selector", "matchLabels", "app.kubernetes.io/name"), Scalar(pod, "metadata", "labels", "app.kubernetes.io/name"));
    }

    [Fact]
    public void The_configmap_holds_the_shipped_routing_file_and_it_is_valid()
    {
        var routing = Scalar(Manifest("configmap.yaml"), "data", "routing.json");

        Assert.Equal(File.ReadAllText(Path.Combine(Root, "Ghfe", "routing.json")), routing);
        Assert.True(RoutingFile.Parse(routing, prod: true).IsRight);
    }

    [Fact]
    public void The_dockerfile_builds_in_two_stages_and_runs_unprivileged()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "deploy", "Dockerfile"));
        Assert.Equal(2, dockerfile.Count(line => line.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("USER app", dockerfile);
        Assert.Contains(dockerfile, line => line.Contains("ASPNETCORE_URLS=http://0.0.0.0:8080", StringComparison.Ordinal));
        Assert.Contains("COPY templates/ templates/", dockerfile);
    }
}
