
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Ghfe.Proxy;

/// <summary>
/// Sends a verified delivery to staging unchanged — the raw bytes and GitHub's headers, never
/// Host — and relays staging's answer. Everything must fit GitHub's 10-second delivery window.
/// </summary>
public static class StagingForwarder
{
    public const string ClientName = "staging";

    /// <summary>The whole exchange, retry included: leaves GitHub's 10 s window room to spare.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(8);

    /// <summary>One quick retry, and only when no connection was made: nothing was sent, so nothing is sent twice.</summary>
    public static void AddStagingClient(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("staging-forwarding", pipeline => pipeline
                .AddTimeout(Deadline)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 1,
                    Delay = TimeSpan.FromMilliseconds(100),
                    BackoffType = DelayBackoffType.Constant,
                    UseJitter = false,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = attempt => ValueTask.FromResult(
                        attempt.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }),
                }));
    }

    /// <summary>Staging's status and text, or a 502 that says what went wrong.</summary>
    public static async Task<(int Status, string Text, string Outcome)> ForwardAsync(
        IHttpClientFactory clients,
        Uri target,
        HttpRequest request,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ReadOnlyMemoryContent(body) };
        foreach (var (name, values) in request.Headers)
        {
            if (IsGitHubHeader(name))
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
        {
            message.Content.Headers.ContentType = contentType;
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return ((int)response.StatusCode, text, $"forwarded_{(int)response.StatusCode}");
        }
        catch (TimeoutRejectedException)
        {
            return (502, $"Staging did not answer within {Deadline.TotalSeconds:0} s ({target}); the delivery was not handled.", "forward_timeout");
        }
        catch (HttpRequestException e)
        {
            var reason = e.HttpRequestError == HttpRequestError.ConnectionError ? "connection failed" : e.HttpRequestError.ToString();
            return (502, $"Staging is unreachable ({target}: {reason}); the delivery was not handled.", "forward_failed");
        }
    }

    /// <summary>GitHub's own headers (X-GitHub-*, X-Hub-Signature*) and User-Agent; never Host or hop-by-hop ones.</summary>
    private static bool IsGitHubHeader(string name) =>
        name.StartsWith("X-GitHub-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("X-Hub-Signature", StringComparison.OrdinalIgnoreCase)
        || name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase);

}
