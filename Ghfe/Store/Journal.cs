using System.Text;
using System.Text.Json;
using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>
/// The spool: verified commands the database could not take in time, kept on local disk until
/// it can. Append-only segments of one JSON line per command, each fsynced before the delivery
/// is answered. A replay applies whole segments in order and then deletes them; re-applying a
/// command is harmless (the SQL is idempotent and forward-only), so a crash mid-replay loses
/// nothing and duplicates nothing.
/// </summary>
public sealed class Journal
{
    private const string Suffix = ".journal";

    private readonly string _directory;
    private readonly SemaphoreSlim _append = new(1, 1);
    private long _segment;
    private int _backlog;

    public Journal(string directory)
    {
        _directory = Path.GetFullPath(directory);
        _segment = Segments().Select(SequenceOf).DefaultIfEmpty(0).Max() + 1;
        _backlog = Segments().Sum(segment => Read(segment).Count);
    }

    public string Directory => _directory;

    /// <summary>Commands accepted but not yet applied to the database.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Appends and fsyncs; throws IOException (or UnauthorizedAccessException) when the disk will not take it.</summary>
    public async Task AppendAsync(JobCommand command, string deliveryId, CancellationToken cancellationToken)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Entry.From(command, deliveryId)) + "\n");
        await _append.WaitAsync(cancellationToken);
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
            await using var file = new FileStream(PathOf(_segment), FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
            await file.WriteAsync(line, cancellationToken);
            file.Flush(flushToDisk: true);
            Interlocked.Increment(ref _backlog);
        }
        finally
        {
            _append.Release();
        }
    }

    /// <summary>Where commands PostgreSQL will never take are kept, one JSON line each, for a person to look at.</summary>
    public string SetAsidePath => Path.Combine(_directory, "refused.jsonl");

    /// <summary>Keeps a command PostgreSQL refused out of the replay, on disk (fsynced), instead of dropping it.</summary>
    public async Task SetAsideAsync(JobCommand command, CancellationToken cancellationToken)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Entry.From(command, string.Empty)) + "\n");
        await _append.WaitAsync(cancellationToken);
        try
        {
            await using var file = new FileStream(SetAsidePath, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
            await file.WriteAsync(line, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            _append.Release();
        }
    }

    /// <summary>Can a command be spooled right now? (The directory exists or can be made, and takes a write.)</summary>
    public bool IsWritable()
    {
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
            var probe = Path.Combine(_directory, ".probe");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Applies every closed segment in order with <paramref name="apply"/>, deleting each once
    /// all its commands went through. New appends go to a fresh segment meanwhile.
    /// </summary>
    public async Task<int> ReplayAsync(Func<JobCommand, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        await _append.WaitAsync(cancellationToken);
        long last;
        try
        {
            last = _segment++;
        }
        finally
        {
            _append.Release();
        }

        var applied = 0;
        foreach (var segment in Segments().Where(segment => SequenceOf(segment) <= last).OrderBy(SequenceOf))
        {
            var commands = Read(segment);
            foreach (var command in commands)
            {
                await apply(command, cancellationToken);
            }

            File.Delete(segment);
            applied += commands.Count;
            Interlocked.Add(ref _backlog, -commands.Count);
        }

        return applied;
    }

    private IEnumerable<string> Segments() =>
        System.IO.Directory.Exists(_directory) ? System.IO.Directory.GetFiles(_directory, "*" + Suffix) : [];

    private string PathOf(long sequence) => Path.Combine(_directory, $"{sequence:D12}{Suffix}");

    private static long SequenceOf(string path) => long.TryParse(Path.GetFileNameWithoutExtension(path), out var sequence) ? sequence : 0;

    /// <summary>Complete lines only: a torn last line was never acknowledged, so it is not owed.</summary>
    private static List<JobCommand> Read(string segment)
    {
        var commands = new List<JobCommand>();
        foreach (var line in File.ReadAllLines(segment))
        {
            try
            {
                if (JsonSerializer.Deserialize<Entry>(line) is { } entry)
                {
                    commands.Add(entry.ToCommand());
                }
            }
            catch (JsonException)
            {
                // torn write: see above
            }
        }

        return commands;
    }

    /// <summary>
    /// One line of a segment: the command's target status and its row, with the delivery it came
    /// from, and in the control-plane generation the delivery's <c>installation_events</c> row (a
    /// line written before it was kept has none).
    /// </summary>
    private sealed record Entry(string DeliveryId, string Target, JobRecord Job, InstallationEvent? Event = null)
    {
        public static Entry From(JobCommand command, string deliveryId) => new(deliveryId, command.Target.ToSql(), command.Job, command.Event);

        public JobCommand ToCommand() => JobCommand.For(JobStatusText.FromSql(Target), Job) with { Event = Event };
    }
}
