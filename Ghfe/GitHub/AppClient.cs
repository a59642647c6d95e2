using System.Net.Http.Headers;
using Ghfe.Redelivery;

namespace Ghfe.GitHub;

/// <summary>
/// GitHub's REST API as one App: lists its webhook deliveries and asks for redeliveries. Follows
/// the rate limit: waits out a short limit, stops with <see cref="GitHubStop"/> on a long one,
/// on a 401, or when the API cannot be reached.
/// </summary>
public sealed class AppClient(HttpClient http, Uri apiRoot, AppJwt jwt, TimeProvider clock, TextWriter log, TimeSpan longestWait)
{
    private const int Tries = 3;

    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    /// <summary>Every attempt listed, newest first, page by page until a page reaches before the window.</summary>
    public async Task<IReadOnlyList<HookDelivery>> ListDeliveriesAsync(RedeliveryOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempts = new List<HookDelivery>();
        var next = new Uri(apiRoot, "app/hook/deliveries?per_page=100");
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, next, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new GitHubStop($"GitHub refused to list the deliveries ({(int)response.StatusCode}): {DeliveryList.MessageOf(System.Text.Encoding.UTF8.GetString(body))}");
            }

            IReadOnlyList<HookDelivery> page;
            try
            {
                page = DeliveryList.Parse(body);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new GitHubStop($"GitHub's list of deliveries at {next} is not what it documents: {e.Message}");
            }

            attempts.AddRange(page);
            var link = LinkHeader.Next(response.Headers.TryGetValues("Link", out var values) ? values : []);
            if (link is null || RedeliveryPlan.PastWindow(page, now, options))
            {
                return attempts;
            }

            next = new Uri(next, link);
            // The JWT goes with every request: only ever to the API root it was meant for.
            if (Uri.Compare(next, apiRoot, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new GitHubStop($"GitHub's next page is on another host ({next.GetLeftPart(UriPartial.Authority)}); not following it with the App's token");
            }
        }
    }

    /// <summary>The attempt's payload, read for its repository and job; <see cref="AskDetail.Unknown"/> when GitHub does not say.</summary>
    public async Task<AskDetail> DescribeAsync(long attemptId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, new Uri(apiRoot, $"app/hook/deliveries/{attemptId}"), cancellationToken);
        return response.IsSuccessStatusCode
            ? DeliveryList.Describe(await response.Content.ReadAsByteArrayAsync(cancellationToken))
            : AskDetail.Unknown;
    }

    /// <summary>Asks for attempt <paramref name="attemptId"/> again: null when GitHub accepted, else its refusal.</summary>
    public async Task<string?> RedeliverAsync(long attemptId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, new Uri(apiRoot, $"app/hook/deliveries/{attemptId}/attempts"), cancellationToken);
        return response.IsSuccessStatusCode
            ? null
            : $"{(int)response.StatusCode} {DeliveryList.MessageOf(await response.Content.ReadAsStringAsync(cancellationToken))}";
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await WaitForLimitAsync(_notBefore - clock.GetUtcNow(), "rate limit spent", cancellationToken);
            var response = await SendOnceAsync(method, uri, cancellationToken);
            var status = (int)response.StatusCode;
            if (status == 401)
            {
                var message = DeliveryList.MessageOf(await response.Content.ReadAsStringAsync(cancellationToken));
                response.Dispose();
                throw new GitHubStop($"GitHub refused the App's token (401 {message}): check the App id and its private key");
            }

            var limit = RateLimit.Of(status, Header(response, "Retry-After"), Header(response, "X-RateLimit-Remaining"), Header(response, "X-RateLimit-Reset"), clock.GetUtcNow());
            if (limit is RateLimit.Limited limited && status is 403 or 429)
            {
                response.Dispose();
                if (attempt == Tries)
                {
                    throw new GitHubStop($"{limited.Why}, still after {Tries} tries: stopping here; the next run takes up what is left");
                }

                await WaitForLimitAsync(limited.Wait, limited.Why, cancellationToken);
                continue;
            }

            _notBefore = limit is RateLimit.Limited spent ? clock.GetUtcNow() + spent.Wait : DateTimeOffset.MinValue;
            return response;
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

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt.Create(clock.GetUtcNow()));
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.ParseAdd("ghfe-redeliver");
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubStop($"cannot reach GitHub's API at {apiRoot}: {e.Message}");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GitHubStop($"GitHub's API at {apiRoot} did not answer in {http.Timeout.TotalSeconds} s: {e.Message}");
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
