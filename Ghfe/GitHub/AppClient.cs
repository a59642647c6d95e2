using System.Net.Http.Headers;
using Ghfe.Redelivery;

namespace Ghfe.GitHub;

/// <summary>
/// GitHub's REST API as one App: lists its webhook deliveries, asks for redeliveries, and looks
/// up one of its installations (for /setup, where requests share one client at once). Follows
/// the rate limit: waits out a short limit, stops with <see cref="GitHubStop"/> on a long one,
/// on a 401, or when the API cannot be reached. Whatever answers is not trusted: no redirect is
/// followed, an answer is read to <see cref="AnswerCap"/> at most, each request has a deadline,
/// and the listing stops at <see cref="RedeliveryOptions.MaxPages"/>.
/// </summary>
public sealed class AppClient(HttpClient http, Uri apiRoot, AppJwt jwt, TimeProvider clock, TextWriter log, TimeSpan longestWait)
{
    /// <summary>A page of 100 deliveries is about 40 KB, a workflow_job delivery with its payload tens of KB: 4 MiB is room to spare, and fits the CronJob's 128 MiB.</summary>
    public const int AnswerCap = 4 << 20;

    /// <summary>One request, its answer's body included.</summary>
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(30);

    private const int Tries = 3;

    /// <summary>UTC ticks before which no request goes out (a spent rate limit); ticks, so that requests at once read and write it whole.</summary>
    private long _notBefore = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>An answer read whole (it fits <see cref="AnswerCap"/>); its headers outlive the disposed response.</summary>
    private sealed record Answer(int Status, HttpResponseHeaders Headers, byte[] Body)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }

    /// <summary>Every attempt listed, newest first, page by page until a page reaches before the window or the page cap.</summary>
    public async Task<Listing> ListDeliveriesAsync(RedeliveryOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempts = new List<HookDelivery>();
        var problems = new List<string>();
        var next = new Uri(apiRoot, "app/hook/deliveries?per_page=100");
        for (var pages = 1; ; pages++)
        {
            var answer = await SendAsync(HttpMethod.Get, next, cancellationToken);
            if (answer.Status is < 200 or >= 300)
            {
                throw new GitHubStop($"GitHub refused to list the deliveries ({answer.Status}): {DeliveryList.MessageOf(answer.Text)}");
            }

            var page = DeliveryList.Parse(answer.Body).Match(
                Right: read => read,
                Left: problem => throw new GitHubStop($"GitHub's list of deliveries (page {pages}) is not what it documents: {problem}"));
            attempts.AddRange(page.Attempts);
            problems.AddRange(page.Skipped.Select(skipped => $"page {pages}: {skipped}"));
            var link = LinkHeader.Next(answer.Headers.TryGetValues("Link", out var values) ? values : []);
            if (link is null || RedeliveryPlan.PastWindow(page.Attempts, now, options))
            {
                return new Listing(attempts, pages, problems);
            }

            if (pages == options.MaxPages)
            {
                problems.Add($"stopped listing at {pages} pages (--max-pages), {attempts.Count} attempts read: deliveries older than these are not examined this run");
                return new Listing(attempts, pages, problems);
            }

            if (!Uri.TryCreate(next, link, out var linked) || linked.Scheme is not ("http" or "https"))
            {
                problems.Add($"stopped listing at {pages} pages: the Link header's next page is not an http(s) address (\"{ApiText.OneLine(link)}\")");
                return new Listing(attempts, pages, problems);
            }

            // The JWT goes with every request: only ever to the API root it was meant for.
            if (Uri.Compare(linked, apiRoot, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new GitHubStop($"GitHub's next page is on another host ({ApiText.OneLine(linked.GetLeftPart(UriPartial.Authority))}); not following it with the App's token");
            }

            next = linked;
        }
    }

    /// <summary>The attempt's payload, read for its repository and job; <see cref="AskDetail.Unknown"/> when GitHub does not say.</summary>
    public async Task<AskDetail> DescribeAsync(long attemptId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, new Uri(apiRoot, $"app/hook/deliveries/{attemptId}"), cancellationToken);
        return answer.Status is >= 200 and < 300 ? DeliveryList.Describe(answer.Body) : AskDetail.Unknown;
    }

    /// <summary>Asks for attempt <paramref name="attemptId"/> again: null when GitHub accepted, else its refusal.</summary>
    public async Task<string?> RedeliverAsync(long attemptId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, new Uri(apiRoot, $"app/hook/deliveries/{attemptId}/attempts"), cancellationToken);
        return answer.Status is >= 200 and < 300 ? null : $"{answer.Status} {DeliveryList.MessageOf(answer.Text)}";
    }

    /// <summary>
    /// <c>GET /app/installations/{id}</c>: whose the installation is, or that this App has none by
    /// that id. Whatever stops a request (unreachable, a refused token, a spent rate limit) is
    /// <see cref="InstallationAnswer.Failed"/>; a cancellation is the caller's.
    /// </summary>
    public async Task<InstallationAnswer> GetInstallationAsync(long installationId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await SendAsync(HttpMethod.Get, new Uri(apiRoot, $"app/installations/{installationId}"), cancellationToken);
            return InstallationAnswer.Of(answer.Status, answer.Body);
        }
        catch (GitHubStop stop)
        {
            return new InstallationAnswer.Failed(stop.Message);
        }
    }

    private async Task<Answer> SendAsync(HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await WaitForLimitAsync(new DateTimeOffset(Interlocked.Read(ref _notBefore), TimeSpan.Zero) - clock.GetUtcNow(), "rate limit spent", cancellationToken);
            var answer = await SendOnceAsync(method, uri, cancellationToken);
            if (answer.Status == 401)
            {
                throw new GitHubStop($"GitHub refused the App's token (401 {DeliveryList.MessageOf(answer.Text)}): check the App id and its private key");
            }

            var limit = RateLimit.Of(answer.Status, Header(answer, "Retry-After"), Header(answer, "X-RateLimit-Remaining"), Header(answer, "X-RateLimit-Reset"), clock.GetUtcNow());
            if (limit is RateLimit.Limited limited && answer.Status is 403 or 429)
            {
                if (attempt == Tries)
                {
                    throw new GitHubStop($"{limited.Why}, still after {Tries} tries: stopping here; the next run takes up what is left");
                }

                await WaitForLimitAsync(limited.Wait, limited.Why, cancellationToken);
                continue;
            }

            Interlocked.Exchange(ref _notBefore, (limit is RateLimit.Limited spent ? clock.GetUtcNow() + spent.Wait : DateTimeOffset.MinValue).UtcTicks);
            return answer;
        }
    }

    private async Task WaitForLimitAsync(TimeSpan wait, string why, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (wait > longestWait)
        {
            throw new GitHubStop($"{why}: GitHub asks to wait {Math.Ceiling(wait.TotalSeconds)} s, more than this run waits ({longestWait.TotalSeconds} s); stopping here, the next run takes up what is left");
        }

        await log.WriteLineAsync($"{why}: waiting {Math.Ceiling(wait.TotalSeconds)} s");
        await Task.Delay(wait, clock, cancellationToken);
    }

    /// <summary>One request and its whole answer, within <see cref="RequestDeadline"/>; a redirect or an answer past <see cref="AnswerCap"/> stops the run.</summary>
    private async Task<Answer> SendOnceAsync(HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt.Create(clock.GetUtcNow()));
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.ParseAdd("ghfe-redeliver");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestDeadline);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var target = response.Headers.Location is { IsAbsoluteUri: true } location ? $" to {ApiText.OneLine(location.GetLeftPart(UriPartial.Authority))}" : string.Empty;
                throw new GitHubStop($"GitHub's API answered {method} {uri.AbsolutePath} with {status}, a redirect{target}: ghfe redeliver follows no redirect, so no other host's answer is taken as GitHub's");
            }

            return new Answer(status, response.Headers, await ReadCappedAsync(response.Content, method, uri, deadline.Token));
        }
        catch (HttpRequestException e)
        {
            throw new GitHubStop($"cannot reach GitHub's API at {apiRoot}: {ApiText.OneLine(e.Message)}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GitHubStop($"GitHub's API at {apiRoot} did not answer {method} {uri.AbsolutePath} within {RequestDeadline.TotalSeconds} s");
        }
        catch (IOException e)
        {
            throw new GitHubStop($"GitHub's API at {apiRoot} broke off its answer to {method} {uri.AbsolutePath}: {ApiText.OneLine(e.Message)}");
        }
    }

    /// <summary>The body, or a stop when it is longer than <see cref="AnswerCap"/> (declared so, or found so while reading: never more is read).</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpContent content, HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        var tooLarge = $"GitHub's answer to {method} {uri.AbsolutePath} is larger than {AnswerCap >> 20} MiB; not reading it";
        if (content.Headers.ContentLength > AnswerCap)
        {
            throw new GitHubStop($"{tooLarge} (it declares {content.Headers.ContentLength} bytes)");
        }

        var buffer = new byte[Math.Min(content.Headers.ContentLength ?? 64 * 1024, AnswerCap) + 1];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (buffer.Length > AnswerCap)
                {
                    throw new GitHubStop(tooLarge);
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, AnswerCap + 1));
            }

            var got = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (got == 0)
            {
                return buffer[..read];
            }

            read += got;
        }
    }

    private static string? Header(Answer answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
