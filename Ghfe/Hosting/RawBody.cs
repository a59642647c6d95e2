using Ghfe.Webhook;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Hosting;

/// <summary>
/// The request body as the exact bytes that were signed, read once into one buffer, and
/// refused past the limit before anything else looks at the request.
/// </summary>
public static class RawBody
{
    /// <summary>GitHub caps payloads at 25 MB; 25 MiB leaves room.</summary>
    public const long Limit = 25L * 1024 * 1024;

    public static async Task<Either<Rejection, ReadOnlyMemory<byte>>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > Limit)
        {
            return new Rejection.TooLarge(Limit);
        }

        try
        {
            if (request.ContentLength is { } length)
            {
                var buffer = new byte[length];
                await request.Body.ReadExactlyAsync(buffer, cancellationToken);
                return Right<Rejection, ReadOnlyMemory<byte>>(buffer);
            }

            // Chunked: Kestrel's MaxRequestBodySize stops it at the limit.
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, cancellationToken);
            return Right<Rejection, ReadOnlyMemory<byte>>(copy.GetBuffer().AsMemory(0, (int)copy.Length));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Rejection.TooLarge(Limit);
        }
    }
}
