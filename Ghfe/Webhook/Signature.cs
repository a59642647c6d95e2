using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: HMAC-SHA256 of the raw body bytes, hex, behind <c>sha256=</c>.</summary>
public static class Signature
{
    public const string Header = "X-Hub-Signature-256";

    private const string Prefix = "sha256=";

    [ThreadStatic]
    private static Dictionary<byte[], IncrementalHash>? _hmacs;

    /// <summary>
    /// Right when the header matches the body under any of the secrets (current, then the
    /// previous one during a rotation). The comparison is constant-time, and a mismatch
    /// says nothing about what was expected.
    /// </summary>
    public static Either<Rejection, WebhookRequest> Verify(IReadOnlyList<byte[]> secrets, WebhookRequest request) =>
        Matches(secrets, request.Body.Span, request.Signature ?? string.Empty) ? Right<Rejection, WebhookRequest>(request) : new Rejection.InvalidSignature();

    private static bool Matches(IReadOnlyList<byte[]> secrets, ReadOnlySpan<byte> body, string header)
    {
        var claimed = Decode(header);
        if (claimed is null)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var secret in secrets)
        {
            var hmac = HmacFor(secret);
            hmac.AppendData(body);
            hmac.GetHashAndReset(computed);
            // Non-short-circuiting: every secret is tried, so timing does not tell which matched.
            matched |= CryptographicOperations.FixedTimeEquals(computed, claimed);
        }

        return matched;
    }

    /// <summary>
    /// A keyed HMAC per secret and thread, reset after each use: keying one costs as much as a
    /// fifth of hashing a delivery. Bounded, since tests and rotations bring new secrets.
    /// </summary>
    private static IncrementalHash HmacFor(byte[] secret)
    {
        var cache = _hmacs ??= new Dictionary<byte[], IncrementalHash>(ReferenceEqualityComparer.Instance);
        if (cache.TryGetValue(secret, out var hmac))
        {
            return hmac;
        }

        if (cache.Count >= 8)
        {
            foreach (var old in cache.Values)
            {
                old.Dispose();
            }

            cache.Clear();
        }

        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        cache[secret] = hmac;
        return hmac;
    }

    /// <summary>The header value for a body under a secret: what GitHub sends, and what tests and tools sign with.</summary>
    public static string Compute(byte[] secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    public static byte[] SecretBytes(string secret) => Encoding.UTF8.GetBytes(secret);

    private static byte[]? Decode(string header)
    {
        var value = header.Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            || value.Length != Prefix.Length + (2 * HMACSHA256.HashSizeInBytes))
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(value.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
