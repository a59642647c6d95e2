using System.Reflection;

namespace Ghfe.Configuration;

/// <summary>
/// The routing file ghfe reads when GHFE_CONFIG is unset. Run from its project's build output
/// (<c>dotnet run</c>), that is the project's routing.json, the file a person edits: the copy
/// next to the binary is the build's, and the next build overwrites it. Anywhere else (a
/// published folder, the container image, a test's output) it is the copy next to the binary.
/// </summary>
public static class ProjectRoutingFile
{
    private static readonly Lazy<string> Resolved = new(() =>
        Resolve(AppContext.BaseDirectory, typeof(ProjectRoutingFile).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "GhfeProjectFromOutput")?.Value));

    /// <summary>GHFE_CONFIG's default: the project's routing.json under <c>dotnet run</c>, else <see cref="RoutingFile.ShippedPath"/>.</summary>
    public static string DefaultPath => Resolved.Value;

    /// <param name="projectFromOutput">The project file's path relative to the build's output folder, as the build recorded it.</param>
    internal static string Resolve(string binaryDirectory, string? projectFromOutput)
    {
        var shipped = Path.Combine(binaryDirectory, "routing.json");
        if (string.IsNullOrEmpty(projectFromOutput) || Path.IsPathRooted(projectFromOutput))
        {
            return shipped;
        }

        // The binary still sits in the output folder of a project that is there: the project file and its routing.json both exist.
        var projectFile = Path.GetFullPath(Path.Combine(binaryDirectory, projectFromOutput));
        var routing = Path.Combine(Path.GetDirectoryName(projectFile)!, "routing.json");
        return File.Exists(projectFile) && File.Exists(routing) ? routing : shipped;
    }
}
