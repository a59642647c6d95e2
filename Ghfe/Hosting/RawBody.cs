using Ghfe.Webhook;
using LanguageExt;
using Microsoft.Net.Http.Headers;
using static LanguageExt.Prelude;

namespace Ghfe.Hosting;

/// <summary>
/// The request body as the exact bytes that were signed, read once into one pooled buffer that
/// grows with what arrives, within the <see cref="BodyBudget"/>; refused past the limit before
/// anything else looks at the request. The bytes stay valid until the response is complete.
/// </summary>
public static class RawBody
{
    /// <summary>GitHub caps payloads at 25 MB; 25 MiB leaves room.</summary>
    public const long Limit = 25L * 1024 * 1024;

    /// <summary>What a refused body is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public static async Task<Either<Rejection, ReadOnlyMemory<byte>>> ReadAsync(HttpRequest request, BodyBudget budget, CancellationToken cancellationToken)
    {
        if (request.ContentLength > Limit)
        {
            return new Rejection.TooLarge(Limit);
        }

        var body = new BodyBuffer(budget, request.ContentLength);
        // Whatever happens next (even an exception), the buffer and its permits go back once the response is complete.
        request.HttpContext.Response.RegisterForDispose(body);
        try
        {
            switch (await body.FillAsync(request.Body, Limit, cancellationToken))
            {
                case BodyBuffer.Fill.Complete:
                    return Right<Rejection, ReadOnlyMemory<byte>>(body.Memory);
                case BodyBuffer.Fill.NoRoom:
                    body.Dispose();
                    // No reason to make Kestrel read (drain) the rest of a body nobody will look at.
                    request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    request.HttpContext.Response.Headers[HeaderNames.Connection] = "close";
                    return new Rejection.NoRoomForBody(RetryAfterSeconds);
                case BodyBuffer.Fill.TooLarge:
                    body.Dispose();
                    return new Rejection.TooLarge(Limit);
                default:
                    body.Dispose();
                    return new Rejection.IncompleteBody(StatusCodes.Status400BadRequest);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            return new Rejection.TooLarge(Limit);
        }
        catch (BadHttpRequestException e)
        {
            // The body ended early or came too slowly (Kestrel's minimum data rate): 400 or 408.
            body.Dispose();
            return new Rejection.IncompleteBody(e.StatusCode);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away mid-body: nobody reads the answer, but the memory goes back now.
            body.Dispose();
            return new Rejection.IncompleteBody(StatusCodes.Status400BadRequest);
        }
    }
}
