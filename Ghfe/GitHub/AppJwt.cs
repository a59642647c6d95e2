using System.Security.Cryptography;
using LanguageExt;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static LanguageExt.Prelude;

namespace Ghfe.GitHub;

/// <summary>
/// A GitHub App's JSON Web Token (RS256): <c>iss</c> the App id, <c>iat</c> 60 s in the past
/// against clock drift, <c>exp</c> at most 10 minutes after <c>iat</c>, as GitHub requires.
/// </summary>
public sealed class AppJwt
{
    private static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly long _appId;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    private AppJwt(long appId, RSAParameters key)
    {
        _appId = appId;
        _credentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256);
    }

    /// <summary>From the App's PEM private key (PKCS#1 or PKCS#8; <c>\n</c> escapes accepted), or the line that says why not.</summary>
    public static Either<string, AppJwt> FromPem(long appId, string variable, string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem.Contains("-----", StringComparison.Ordinal) ? pem.Replace("\\n", "\n", StringComparison.Ordinal) : pem);
            return Right<string, AppJwt>(new AppJwt(appId, rsa.ExportParameters(includePrivateParameters: true)));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return Left<string, AppJwt>($"{variable} is not a PEM RSA private key: {e.Message}");
        }
    }

    /// <summary>A token good from <paramref name="now"/> for about nine minutes.</summary>
    public string Create(DateTimeOffset now)
    {
        var issuedAt = now - Backdate;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _appId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IssuedAt = issuedAt.UtcDateTime,
            Expires = (issuedAt + Lifetime).UtcDateTime,
            SigningCredentials = _credentials,
        });
    }
}
