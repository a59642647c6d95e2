namespace Ghfe.Embedded;

/// <summary>
/// Who uses an embedded cluster: a directory beside its data directory with one locked file per
/// user. A file whose lock can be taken belongs to a process that is gone.
/// </summary>
internal static class Clients
{
    public static string DirectoryOf(string dataDirectory) => dataDirectory + ".clients";

    /// <summary>How many live users the cluster has; the files of dead ones are removed.</summary>
    public static int Live(string dataDirectory)
    {
        var directory = DirectoryOf(dataDirectory);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var live = 0;
        foreach (var file in Directory.GetFiles(directory))
        {
            using var abandoned = ExclusiveFile.TryAcquire(file);
            if (abandoned is null)
            {
                live++;
            }
            else
            {
                File.Delete(file);
            }
        }

        return live;
    }

    public static Membership Register(string dataDirectory)
    {
        var directory = Directory.CreateDirectory(DirectoryOf(dataDirectory)).FullName;
        var path = Path.Combine(directory, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        return new Membership(ExclusiveFile.TryAcquire(path) ?? throw new EmbeddedPostgresException($"cannot lock {path}"));
    }

    /// <summary>One user's file, held while it uses the cluster.</summary>
    public sealed class Membership(ExclusiveFile file)
    {
        public void Leave()
        {
            file.Dispose();
            File.Delete(file.Path);
        }
    }
}
