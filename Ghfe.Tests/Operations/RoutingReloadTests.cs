using Ghfe.Configuration;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Operations;

/// <summary>Editing the routing file (a ConfigMap update) takes effect without a restart.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class RoutingReloadTests(PostgresCluster cluster)
{
    private const string NewRoute = """
        { "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" },
                { "labels": ["ubuntu-26.04-riscv"], "pool": "cloudv10x-rvv", "image": "ubuntu-26.04" }
        """;

    [Fact]
    public async Task A_new_route_applies_and_a_broken_edit_keeps_the_last_good_rules()
    {
        var database = await cluster.CreateDatabaseAsync();
        var path = Path.Combine(Path.GetTempPath(), $"ghfe-reload-{Guid.NewGuid():N}.json");
        var shipped = await File.ReadAllTextAsync(RoutingFile.ShippedPath);
        await File.WriteAllTextAsync(path, shipped);
        try
        {
            await using var ghfe = await GhfeProcess.StartAsync(database, ("GHFE_CONFIG", path));
            var before = await Deliver(ghfe, 9_200_001);
            Assert.True(before.Text.StartsWith("Ignoring job", StringComparison.Ordinal), before.Text + string.Join("\n", ghfe.Lines));

            var edited = shipped.Replace("""{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" }""", NewRoute, StringComparison.Ordinal);
            Assert.NotEqual(shipped, edited);
            await File.WriteAllTextAsync(path, edited);
            var jobId = 9_200_002L;
            await Eventually(async () => (await Deliver(ghfe, ++jobId)).Text == $"Job {jobId} stored.");

            await File.WriteAllTextAsync(path, edited.Replace("\"cloudv10x-rvv\", \"image\"", "\"nowhere\", \"image\"", StringComparison.Ordinal));
            await Eventually(() => Task.FromResult(ghfe.Lines.Any(l => l.Contains("keeping the last good rules", StringComparison.Ordinal))));

            Assert.Equal((200, "Job 9200003 stored."), await Deliver(ghfe, 9_200_003));
            Assert.Contains(ghfe.Lines, l => l.Contains("unknown pool \"nowhere\"", StringComparison.Ordinal));
            Assert.Equal("cloudv10x-rvv", (await Rows.JobsAsync(database, jobId: 9_200_003)).Single().K8sPool);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Under <c>dotnet run</c> the binary runs from Ghfe/bin/&lt;configuration&gt;/&lt;framework&gt;/: a copy of
    /// that output folder, in a project folder of its own, serves; the project's routing.json is edited.
    /// </summary>
    [Fact]
    public async Task Under_dotnet_run_the_project_routing_file_is_the_one_read_and_watched()
    {
        var database = await cluster.CreateDatabaseAsync();
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (configuration, framework) = (testOutput.Parent!.Name, testOutput.Name);
        var project = Path.Combine(Path.GetTempPath(), $"ghfe-project-{Guid.NewGuid():N}", "Ghfe");
        var output = Path.Combine(project, "bin", configuration, framework);
        CopyFolder(Path.Combine(RepositoryRoot.Path, "Ghfe", "bin", configuration, framework), output);
        File.Copy(Path.Combine(RepositoryRoot.Path, "Ghfe", "Ghfe.csproj"), Path.Combine(project, "Ghfe.csproj"));
        var routing = Path.Combine(project, "routing.json");
        var shipped = await File.ReadAllTextAsync(RoutingFile.ShippedPath);
        await File.WriteAllTextAsync(routing, shipped);
        try
        {
            await using var ghfe = await GhfeProcess.StartBuiltInAsync(output, database);
            Assert.Contains(ghfe.Lines, l => l.Contains($"routing rules from {routing} (watched: edits apply live)", StringComparison.Ordinal));
            Assert.StartsWith("Ignoring job", (await Deliver(ghfe, 9_200_101)).Text, StringComparison.Ordinal);

            await File.WriteAllTextAsync(routing, shipped.Replace("""{ "labels": ["ubuntu-24.04-riscv"], "pool": "scw-em-rv1", "image": "ubuntu-24.04" }""", NewRoute, StringComparison.Ordinal));
            var jobId = 9_200_102L;
            await Eventually(async () => (await Deliver(ghfe, ++jobId)).Text == $"Job {jobId} stored.");
            Assert.Contains(ghfe.Lines, l => l.Contains($"routing reloaded from {routing}", StringComparison.Ordinal));
            Assert.Equal(shipped, await File.ReadAllTextAsync(Path.Combine(output, "routing.json")));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(project)!, recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static Task<(int Status, string Text)> Deliver(GhfeProcess ghfe, long jobId) =>
        ghfe.DeliverAsync("workflow_job", Payloads.Serialize(Payloads.Queued(["ubuntu-26.04-riscv"], owner: 42, ownerLogin: "someone", repository: "someone/project")
            .Also(p => p["workflow_job"]!["id"] = jobId)));

    /// <summary>Polls for up to 15 s (the reloader looks every 2 s).</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the routing file change was not taken up in 15 s");
    }
}
