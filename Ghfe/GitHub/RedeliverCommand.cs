using Ghfe.Redelivery;

namespace Ghfe.GitHub;

/// <summary>
/// <c>ghfe redeliver</c>: for each configured GitHub App, list its webhook deliveries, decide
/// (<see cref="RedeliveryPlan"/>) which failed ones to ask for again, and ask. The only ghfe
/// code that calls GitHub; the CronJob runs it, so the webhook pods hold no private key.
/// </summary>
public static class RedeliverCommand
{
    public const string DefaultApiUrl = GitHubSettings.DefaultApiUrl;

    /// <summary>The Apps ghfe serves, as this command's lines name them.</summary>
    private static readonly (string Name, GitHubApp App)[] Apps = [("org App", GitHubApp.Organization), ("personal App", GitHubApp.Personal)];

    /// <summary>
    /// Runs the command; 0 when every redelivery went through (or <c>--help</c>), 1 when something
    /// failed or was skipped, 2 for bad flags or settings, no key among them. Every failure is one
    /// line on <paramref name="errors"/>.
    /// </summary>
    /// <param name="longestWait">The longest rate-limit wait the run sits out before it stops.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        Func<string, string?> variable,
        TextWriter output,
        TextWriter errors,
        TimeProvider clock,
        TimeSpan? longestWait = null,
        CancellationToken cancellationToken = default)
    {
        if (RedeliveryFlags.AsksForHelp(args))
        {
            await output.WriteLineAsync(RedeliveryFlags.Help);
            return 0;
        }

        var (options, badFlags) = RedeliveryFlags.Parse(args).Match(
            Right: parsed => (parsed, (string?)null),
            Left: problem => (RedeliveryOptions.Default, problem));
        if (badFlags is not null)
        {
            await errors.WriteLineAsync(badFlags);
            return 2;
        }

        var configured = Apps.Where(app => !string.IsNullOrWhiteSpace(variable(app.App.KeyVariable))).ToList();
        if (configured.Count == 0)
        {
            // A CronJob whose secret is missing must fail, not succeed every run having done nothing.
            await errors.WriteLineAsync("no GitHub App key is set (GHAPP_ORG_PRIVATE_KEY, GHAPP_PERSONAL_PRIVATE_KEY): nothing to redeliver with");
            return 2;
        }

        var (apiRoot, badApi) = GitHubSettings.ApiRootOf(variable("GITHUB_API_URL")).Match(
            Right: root => (root, (string?)null),
            Left: problem => ((Uri?)null, problem));
        if (apiRoot is null)
        {
            await errors.WriteLineAsync(badApi);
            return 2;
        }

        // No redirect: the App's token must not follow one, and no other host's answer may pass for GitHub's.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var exitCode = 0;
        foreach (var app in configured)
        {
            var (appId, badId) = GitHubSettings.AppIdOf(app.App, variable(app.App.IdVariable)).Match(
                Right: id => (id, (string?)null),
                Left: problem => (0L, problem));
            if (badId is not null)
            {
                await errors.WriteLineAsync(badId);
                exitCode = Math.Max(exitCode, 2);
                continue;
            }

            var name = $"{app.Name} {appId}";
            var (jwt, badKey) = AppJwt.FromPem(appId, app.App.KeyVariable, variable(app.App.KeyVariable)!).Match(
                Right: key => (key, (string?)null),
                Left: problem => ((AppJwt?)null, problem));
            if (jwt is null)
            {
                await errors.WriteLineAsync($"{name}: {badKey}");
                exitCode = Math.Max(exitCode, 1);
                continue;
            }

            var client = new AppClient(http, apiRoot, jwt, clock, output, longestWait ?? TimeSpan.FromSeconds(60));
            try
            {
                if (!await RunAppAsync(name, client, options, output, errors, clock, cancellationToken))
                {
                    exitCode = Math.Max(exitCode, 1);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever the API did that nothing above foresaw: one line, not a stack trace, and the next App still runs.
                await errors.WriteLineAsync($"{name}: stopped by something unexpected: {e.GetType().Name}: {ApiText.OneLine(e.Message)}");
                exitCode = Math.Max(exitCode, 1);
            }
        }

        return exitCode;
    }

    /// <summary>One App: list, decide, ask. False when something did not go through (said on <paramref name="errors"/>).</summary>
    private static async Task<bool> RunAppAsync(string name, AppClient client, RedeliveryOptions options, TextWriter output, TextWriter errors, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Listing listing;
        try
        {
            listing = await client.ListDeliveriesAsync(options, now, cancellationToken);
        }
        catch (GitHubStop stop)
        {
            await errors.WriteLineAsync($"{name}: {stop.Message}");
            return false;
        }

        foreach (var problem in listing.Problems)
        {
            await errors.WriteLineAsync($"{name}: {problem}");
        }

        var plan = RedeliveryPlan.Decide(listing.Attempts, now, options);

        var asked = 0;
        var failed = 0;
        string? stopped = null;
        foreach (var ask in plan.Asks)
        {
            try
            {
                var detail = await client.DescribeAsync(ask.AttemptId, cancellationToken);
                if (options.DryRun)
                {
                    await output.WriteLineAsync(RedeliveryText.Asked(ask, detail, dryRun: true));
                    continue;
                }

                if (await client.RedeliverAsync(ask.AttemptId, cancellationToken) is { } refusal)
                {
                    failed++;
                    await errors.WriteLineAsync($"{name}: GitHub refused to redeliver {ask.Guid} (attempt {ask.AttemptId}): {refusal}");
                    continue;
                }

                asked++;
                await output.WriteLineAsync(RedeliveryText.Asked(ask, detail, dryRun: false));
            }
            catch (GitHubStop stop)
            {
                stopped = stop.Message;
                break;
            }
        }

        await output.WriteLineAsync(RedeliveryText.Summary(name, plan, asked, failed, options.DryRun));
        if (stopped is not null)
        {
            await errors.WriteLineAsync($"{name}: {stopped}");
        }

        return failed == 0 && stopped is null && listing.Problems.Count == 0;
    }
}
