namespace Ghfe.Embedded;

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
