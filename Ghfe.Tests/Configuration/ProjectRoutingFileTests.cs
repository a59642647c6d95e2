using Ghfe.Configuration;

namespace Ghfe.Tests.Configuration;

/// <summary>Which routing file ghfe reads when GHFE_CONFIG is unset.</summary>
public sealed class ProjectRoutingFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ghfe-layout-{Guid.NewGuid():N}");

    private string Output => Path.Combine(_root, "Ghfe", "bin", "Debug", "net10.0");

    private static readonly string FromOutput = Path.Combine("..", "..", "..", "Ghfe.csproj");

    public ProjectRoutingFileTests() => Directory.CreateDirectory(Output);

    [Fact]
    public void From_its_project_output_folder_the_binary_reads_the_project_routing_file()
    {
        File.WriteAllText(Path.Combine(_root, "Ghfe", "Ghfe.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "Ghfe", "routing.json"), "{}");

        Assert.Equal(Path.Combine(_root, "Ghfe", "routing.json"), ProjectRoutingFile.Resolve(Output, FromOutput));
    }

    [Fact]
    public void Published_or_copied_elsewhere_the_binary_reads_its_own_copy()
    {
        var ownCopy = Path.Combine(Output, "routing.json");
        // No project above (the container image, a published folder).
        Assert.Equal(ownCopy, ProjectRoutingFile.Resolve(Output, FromOutput));

        // A project file without a routing file, and no recorded project at all.
        File.WriteAllText(Path.Combine(_root, "Ghfe", "Ghfe.csproj"), "<Project />");
        Assert.Equal(ownCopy, ProjectRoutingFile.Resolve(Output, FromOutput));
        File.WriteAllText(Path.Combine(_root, "Ghfe", "routing.json"), "{}");
        Assert.Equal(ownCopy, ProjectRoutingFile.Resolve(Output, null));
        Assert.Equal(ownCopy, ProjectRoutingFile.Resolve(Output, Path.Combine(_root, "Ghfe", "Ghfe.csproj")));
    }

    [Fact]
    public void The_test_binaries_read_the_copy_next_to_them() =>
        Assert.Equal(RoutingFile.ShippedPath, ProjectRoutingFile.DefaultPath);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
