using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Ghfe.Tests.Support;

/// <summary>
/// The memory a replica gets in Kubernetes, for a ghfe process: a memory cgroup (v1, else v2)
/// with the Deployment's limit where one can be made (root), otherwise <c>DOTNET_GCHeapHardLimit</c>
/// at what the runtime would take in that container (it caps the GC heap only, not the process).
/// </summary>
public sealed class MemoryCage : IDisposable
{
    private const string V1 = "/sys/fs/cgroup/memory";
    private const string V2 = "/sys/fs/cgroup";
    private readonly string? _group;
    private readonly bool _v2;

    private MemoryCage(long limit, string? group, bool v2, IReadOnlyList<(string Name, string Value)> environment)
    {
        Limit = limit;
        _group = group;
        _v2 = v2;
        Environment = environment;
    }

    /// <summary>The Deployment's <c>resources.limits.memory</c>, in bytes.</summary>
    public long Limit { get; }

    /// <summary>True when the limit is a real cgroup; false under the GC heap limit fallback.</summary>
    public bool IsCgroup => _group is not null;

    /// <summary>Where ghfe writes its pid to enter the group, or null under the fallback.</summary>
    public string? Procs => _group is null ? null : Path.Combine(_group, "cgroup.procs");

    /// <summary>The Deployment's <c>DOTNET_*</c> settings (GC mode, heap limit), plus the fallback's limit if any.</summary>
    public IReadOnlyList<(string Name, string Value)> Environment { get; }

    public string Describe() => IsCgroup
        ? $"cgroup {(_v2 ? "v2" : "v1")} memory group {_group} limited to {Limit / (1024 * 1024)} MiB (the Deployment's limit)"
        : $"cgroups not writable here: DOTNET_GCHeapHardLimit instead ({string.Join(", ", Environment.Select(e => $"{e.Name}={e.Value}"))}), which caps the GC heap, not the process; peak is VmHWM against {Limit / (1024 * 1024)} MiB";

    public static MemoryCage Create()
    {
        var (limit, settings) = DeploymentMemory();
        var bytes = limit.ToString(CultureInfo.InvariantCulture);
        var name = $"ghfe-test-{Guid.NewGuid():N}";
        var allowed = System.Environment.GetEnvironmentVariable("GHFE_TEST_NO_CGROUP") != "1"; // to try the fallback where cgroups work
        if (allowed && TryGroup(Path.Combine(V1, name), "memory.limit_in_bytes", bytes) is { } v1)
        {
            return new MemoryCage(limit, v1, v2: false, settings);
        }

        if (allowed && File.Exists(Path.Combine(V2, "cgroup.controllers")))
        {
            try
            {
                File.WriteAllText(Path.Combine(V2, "cgroup.subtree_control"), "+memory");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // not ours to change: the group below may still get a memory controller
            }

            if (TryGroup(Path.Combine(V2, name), "memory.max", bytes) is { } v2)
            {
                return new MemoryCage(limit, v2, v2: true, settings);
            }
        }

        // The GC's heap limit as the container would give it: a percentage of the limit, else the runtime's 75%.
        var percent = settings.Where(s => s.Name == "DOTNET_GCHeapHardLimitPercent")
            .Select(s => Convert.ToInt64(s.Value, 16)).DefaultIfEmpty(75).First();
        var fallback = settings.Where(s => !s.Name.StartsWith("DOTNET_GCHeapHardLimit", StringComparison.Ordinal)).ToList();
        fallback.Add(("DOTNET_GCHeapHardLimit", "0x" + (limit * percent / 100).ToString("X", CultureInfo.InvariantCulture)));
        return new MemoryCage(limit, null, v2: false, fallback);
    }

    /// <summary>The most the group (or, under the fallback, the process: VmHWM) has held, in bytes.</summary>
    public long Peak(int pid) => IsCgroup ? ReadLong(_v2 ? "memory.peak" : "memory.max_usage_in_bytes") : Status(pid, "VmHWM");

    /// <summary>
    /// What the process holds now, in bytes: the group's usage, else the process's anonymous
    /// resident memory (RssAnon; its file pages, the runtime's libraries, are shared and stay).
    /// </summary>
    public long Current(int pid) => IsCgroup ? ReadLong(_v2 ? "memory.current" : "memory.usage_in_bytes") : Status(pid, "RssAnon");

    /// <summary>The process's resident set (VmRSS), in bytes.</summary>
    public static long Resident(int pid) => Status(pid, "VmRSS");

    /// <summary>Times the group reached its limit (0 under the fallback).</summary>
    public long Failures => !IsCgroup ? 0
        : _v2 ? File.ReadLines(Path.Combine(_group!, "memory.events")).Where(line => line.StartsWith("max ", StringComparison.Ordinal)).Select(line => long.Parse(line[4..], CultureInfo.InvariantCulture)).FirstOrDefault()
        : ReadLong("memory.failcnt");

    private static string? TryGroup(string group, string limitFile, string limit)
    {
        try
        {
            Directory.CreateDirectory(group);
            File.WriteAllText(Path.Combine(group, limitFile), limit);
            return group;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryRemove(group);
            return null;
        }
    }

    public void Dispose()
    {
        if (_group is not null)
        {
            TryRemove(_group);
        }
    }

    private long ReadLong(string file) =>
        long.Parse(File.ReadAllText(Path.Combine(_group!, file)).Trim(), CultureInfo.InvariantCulture);

    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static void TryRemove(string group)
    {
        // A group can be removed once its processes are gone; they may take a moment to leave.
        for (var attempt = 0; attempt < 50 && Directory.Exists(group); attempt++)
        {
            try
            {
                Directory.Delete(group);
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    /// <summary>From deploy/k8s/statefulset.yaml: the container's memory limit and its DOTNET_* variables.</summary>
    private static (long Limit, List<(string Name, string Value)> Settings) DeploymentMemory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ghfe.sln")))
        {
            directory = directory.Parent;
        }

        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(directory!.FullName, "deploy", "k8s", "statefulset.yaml")))
        {
            stream.Load(reader);
        }

        var container = (YamlMappingNode)((YamlSequenceNode)At(stream.Documents[0].RootNode, "spec", "template", "spec", "containers")).Children[0];
        var limit = Quantity(((YamlScalarNode)At(container, "resources", "limits", "memory")).Value!);
        var settings = ((YamlSequenceNode)At(container, "env")).Children
            .OfType<YamlMappingNode>()
            .Where(variable => variable.Children.ContainsKey("value"))
            .Select(variable => (Name: ((YamlScalarNode)variable["name"]).Value!, Value: ((YamlScalarNode)variable["value"]).Value!))
            .Where(variable => variable.Name.StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToList();
        return (limit, settings);
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static long Quantity(string quantity) => quantity switch
    {
        _ when quantity.EndsWith("Gi", StringComparison.Ordinal) => long.Parse(quantity[..^2], CultureInfo.InvariantCulture) << 30,
        _ when quantity.EndsWith("Mi", StringComparison.Ordinal) => long.Parse(quantity[..^2], CultureInfo.InvariantCulture) << 20,
        _ => long.Parse(quantity, CultureInfo.InvariantCulture),
    };
}
