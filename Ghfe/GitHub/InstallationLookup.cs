using System.Collections.Concurrent;

namespace Ghfe.GitHub;

/// <summary>
/// Asks GitHub whose an installation is, as the App it belongs to, for /setup. One client for both
/// Apps. Answers are kept per App and installation: GitHub's word for <see cref="Fresh"/>, a failure
/// for <see cref="FailureFresh"/> only. Requests for an installation being asked about wait for
/// that one question: a crowd of them costs GitHub one call.
/// </summary>
public sealed class InstallationLookup : IDisposable
{
    /// <summary>How long GitHub's answer (found or not found) is reused: a user who fixes the install sees it within a minute.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a failure is reused: long enough that a crowd during a GitHub outage still costs
    /// one call every few seconds, short enough that "try again" soon means asking GitHub again.
    /// </summary>
    public static readonly TimeSpan FailureFresh = TimeSpan.FromSeconds(5);

    /// <summary>How long one question to GitHub may take: a page is waiting on it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Installations remembered at most: the public asks for any id it likes, each one a cache entry.</summary>
    public const int MaxEntries = 10_000;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Dictionary<AppKind, AppClient> _clients = [];
    private readonly ConcurrentDictionary<(AppKind App, long Installation), Entry> _entries = new();
    private readonly TimeProvider _clock;
    private int _calls;

    public InstallationLookup(GitHubSettings settings, TimeProvider clock)
    {
        _clock = clock;
        foreach (var app in GitHubApp.Both)
        {
            // No redirect is followed and no rate limit is waited out (longestWait zero): a page is waiting.
            settings.For(app.Kind).Jwt.IfRight(jwt => _clients[app.Kind] = new AppClient(_http, settings.ApiRoot, jwt, clock, TextWriter.Null, TimeSpan.Zero));
        }
    }

    /// <summary>Questions put to GitHub so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>GitHub's answer for the App's installation, fresh or remembered. The App's key must be configured.</summary>
    /// <param name="cancellationToken">This request's: it stops waiting, not the question others wait for too.</param>
    public async Task<InstallationAnswer> LookUpAsync(AppKind app, long installationId, CancellationToken cancellationToken)
    {
        var client = _clients[app];
        var key = (app, installationId);
        while (true)
        {
            var now = _clock.GetUtcNow();
            var known = _entries.GetValueOrDefault(key);
            if (known is not null && !known.ExpiredAt(now))
            {
                return await known.Answer.WaitAsync(cancellationToken);
            }

            if (known is null && _entries.Count >= MaxEntries && !Sweep(now))
            {
                // Full of fresh entries: asked without being remembered, rather than without bound.
                return await AskAsync(client, installationId);
            }

            var entry = new Entry();
            if (known is null ? _entries.TryAdd(key, entry) : _entries.TryUpdate(key, entry, known))
            {
                _ = FillAsync(entry, client, installationId);
                return await entry.Answer.WaitAsync(cancellationToken);
            }

            // Another request put its question first: wait for that one.
        }
    }

    private async Task FillAsync(Entry entry, AppClient client, long installationId)
    {
        var answer = await AskAsync(client, installationId);
        entry.Complete(answer, _clock.GetUtcNow() + (answer is InstallationAnswer.Failed ? FailureFresh : Fresh));
    }

    /// <summary>One question, within <see cref="Deadline"/>, whoever gave up waiting; never throws.</summary>
    private async Task<InstallationAnswer> AskAsync(AppClient client, long installationId)
    {
        Interlocked.Increment(ref _calls);
        using var deadline = new CancellationTokenSource(Deadline, _clock);
        try
        {
            return await client.GetInstallationAsync(installationId, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return new InstallationAnswer.Failed($"GitHub did not answer within {Deadline.TotalSeconds:0} s");
        }
        catch (Exception e)
        {
            // Whatever the API did that nothing foresaw: the page says so, as a failure to try again after.
            return new InstallationAnswer.Failed($"asking GitHub failed unexpectedly ({e.GetType().Name})");
        }
    }

    /// <summary>Drops the expired entries; true when there is room now.</summary>
    private bool Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiredAt(now))
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        return _entries.Count < MaxEntries;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A question to GitHub, asked or answered, and until when its answer holds.</summary>
    private sealed class Entry
    {
        private readonly TaskCompletionSource<InstallationAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _expires = DateTimeOffset.MaxValue.UtcTicks;

        public Task<InstallationAnswer> Answer => _answer.Task;

        public bool ExpiredAt(DateTimeOffset now) => now.UtcTicks >= Interlocked.Read(ref _expires);

        public void Complete(InstallationAnswer answer, DateTimeOffset expires)
        {
            Interlocked.Exchange(ref _expires, expires.UtcTicks);
            _answer.SetResult(answer);
        }
    }
}
