
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ghfe.Webhook;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Ghfe.Proxy;

/// <summary>
/// Sends a verified delivery to staging unchanged — the raw bytes and GitHub's headers, never
/// Host — and relays staging's answer as <see cref="StagingAnswer"/> allows. Staging is a peer:
/// no redirect is followed, at most <see cref="AnswerCap"/> bytes of its answer are read, and the
/// whole exchange, its body included, fits GitHub's 10-second delivery window.
/// </summary>
public static class StagingForwarder
{
    public const string ClientName = "staging";

    /// <summary>The whole exchange, retry and staging's answer included: leaves GitHub's 10 s window room to spare.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(8);

    /// <summary>What GitHub shows of an answer in Recent Deliveries needs no more; the rest is never read.</summary>
    public const int AnswerCap = 4096;

    /// <summary>One quick retry, and only when no connection was made: nothing was sent, so nothing is sent twice.</summary>
    public static void AddStagingClient(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // A redirect would carry the signed body (307/308) or its signature (301-303) to a host staging names.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
            .AddResilienceHandler("staging-forwarding", pipeline => pipeline
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

    /// <summary>Staging's status and text (2xx and 4xx), or a 502 that says what went wrong.</summary>
    public static async Task<(int Status, string Text, DeliveryOutcome Outcome)> ForwardAsync(
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

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var text = await ReadCappedAsync(response.Content, deadline.Token);
            return StagingAnswer.Of((int)response.StatusCode, text, target);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return StagingAnswer.NotInTime(target, Deadline);
        }
        catch (HttpRequestException e)
        {
            return StagingAnswer.Unreachable(target, e.HttpRequestError == HttpRequestError.ConnectionError ? "connection failed" : e.HttpRequestError.ToString());
        }
        catch (IOException)
        {
            return StagingAnswer.BrokenOff(target);
        }
    }

    /// <summary>
    /// Staging's text, at most <see cref="AnswerCap"/> bytes of it (cut at a whole character, and
    /// saying so); the rest is left unread, and the connection is drained or dropped on dispose.
    /// </summary>
    private static async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[AnswerCap + 1];
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read <= AnswerCap
            ? Encoding.UTF8.GetString(buffer, 0, read)
            : WholeCharacters(buffer.AsSpan(0, AnswerCap))
                + $"\n[ghfe: staging's answer is longer than {AnswerCap} bytes; cut here]";
    }

    /// <summary>The text of <paramref name="bytes"/> without a last character the cut split (the decoder keeps it back, unflushed).</summary>
    private static string WholeCharacters(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        return new string(chars, 0, Encoding.UTF8.GetDecoder().GetChars(bytes, chars, flush: false));
    }

    /// <summary>GitHub's own headers (X-GitHub-*, X-Hub-Signature*) and User-Agent; never Host or hop-by-hop ones.</summary>
    private static bool IsGitHubHeader(string name) =>
        name.StartsWith("X-GitHub-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("X-Hub-Signature", StringComparison.OrdinalIgnoreCase)
        || name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase);

}
