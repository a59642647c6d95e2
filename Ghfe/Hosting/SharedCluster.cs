namespace Ghfe.Hosting;

/// <summary>
/// A file held open with an exclusive lock (flock on Unix): the kernel drops the lock when the
/// holder closes it or dies, so a crashed holder never leaves it taken.
/// </summary>
internal sealed class ExclusiveFile : IAsyncDisposable, IDisposable
{
    private readonly FileStream _stream;

    private ExclusiveFile(FileStream stream) => _stream = stream;

    public string Path => _stream.Name;

    /// <summary>The lock, or null when another holder has it.</summary>
    public static ExclusiveFile? TryAcquire(string path)
    {
        try
        {
            return new ExclusiveFile(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits for the lock (another ghfe may be starting or stopping the cluster).</summary>
    public static async Task<ExclusiveFile> AcquireAsync(string path, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (TryAcquire(path) is { } acquired)
            {
                return acquired;
            }

            if (TimeProvider.System.GetElapsedTime(deadline) > patience)
            {
                throw new EmbeddedPostgresException($"{path} stayed locked for {patience.TotalSeconds:F0} s: another ghfe is stuck starting or stopping the embedded PostgreSQL");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public void Dispose() => _stream.Dispose();

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}

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
