namespace Ghfe.Tests.Support;

/// <summary>The repository's root (where Ghfe.sln is), found above the test binaries.</summary>
public static class RepositoryRoot
{
    public static readonly string Path = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Ghfe.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Ghfe.sln not found above the test binaries");
    }
}
