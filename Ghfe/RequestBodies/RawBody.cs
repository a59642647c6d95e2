using Ghfe.Webhook;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.RequestBodies;

/// <summary>
/// The request body as the exact bytes that were signed, refused past the limit before anything
/// else looks at the request, and cut at one deadline whatever its length. A body of a delivery's
/// size (<see cref="SmallBody"/>) is taken only once it has all arrived: until then it waits in
/// what Kestrel reads ahead of the application anyway, so it waits for no budget, and what bodies
/// that do not arrive hold there is capped by cutting the oldest (<see cref="WaitingBodies"/>), never
/// by refusing a newcomer. A larger body grows within the
/// <see cref="BodyBudget"/> as it arrives. The bytes stay valid until the response is complete.
/// </summary>
public static class RawBody
{
    /// <summary>GitHub caps payloads at 25 MB; 25 MiB leaves room.</summary>
    public const long Limit = 25L * 1024 * 1024;

    /// <summary>
    /// Every real delivery (5–30 KB) declares at most this; it must not exceed what Kestrel reads
    /// ahead of the application (<see cref="RequestLimits.ReadAhead"/>), where a small body waits whole.
    /// </summary>
    public const int SmallBody = RequestLimits.ReadAhead;

    /// <summary>What a refused body is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// For the whole body, however long: GitHub gives up on a delivery not answered within 10 s,
    /// and sends its body at once (25 MiB arrive in seconds), so a body still arriving after 10 s
    /// is not GitHub's, and holds its connection for nothing.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task<Either<Rejection, ReadOnlyMemory<byte>>> ReadAsync(HttpRequest request, BodyBudget budget, CancellationToken cancellationToken)
    {
        if (request.ContentLength > Limit)
        {
            return new Rejection.TooLarge(Limit);
        }

        var reader = request.BodyReader;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        // Canceling the pending read, rather than passing the token to it, leaves Kestrel's body
        // reader in a state it can drain and close cleanly after the answer.
        using var cut = deadline.Token.Register(reader.CancelPendingRead);
        var body = new BodyBuffer(budget);
        // Whatever happens next (even an exception), the buffer's permits go back once the response is complete.
        request.HttpContext.Response.RegisterForDispose(body);
        try
        {
            switch (await body.FillAsync(reader, request.ContentLength, Limit))
            {
                case BodyBuffer.Fill.Complete:
                    return Right<Rejection, ReadOnlyMemory<byte>>(body.Memory);
                case BodyBuffer.Fill.NoRoom:
                    body.Dispose();
                    return new Rejection.NoRoomForBody(RetryAfterSeconds);
                case BodyBuffer.Fill.TooLarge:
                    body.Dispose();
                    return new Rejection.TooLarge(Limit);
                case BodyBuffer.Fill.Cut:
                    // Cut to make room for bodies that arrive (WaitingBodies). Its connection goes at once:
                    // Kestrel keeps an answered one up to 5 s more, with what it read ahead. Aborting cancels
                    // the deadline too, whose callback must not reach into the aborted reader.
                    body.Dispose();
                    cut.Dispose();
                    request.HttpContext.Abort();
                    return new Rejection.IncompleteBody(StatusCodes.Status408RequestTimeout);
                case BodyBuffer.Fill.Canceled when !cancellationToken.IsCancellationRequested:
                    body.Dispose();
                    return new Rejection.IncompleteBody(StatusCodes.Status408RequestTimeout, CutAtDeadline: true);
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
