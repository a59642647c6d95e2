using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ghfe.Redelivery;
using Ghfe.Webhook;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ghfe.Tests.Support;

/// <summary>
/// GitHub's App webhook API as a real HTTP server on 127.0.0.1: it checks each request's App
/// JWT with the App's public key, lists the deliveries it recorded newest first in cursor pages,
/// and for each redelivery asked for re-sends the original signed body to <see cref="Target"/>,
/// as GitHub does, recording the new attempt and its answer. It also answers
/// <c>GET /app/installations/{id}</c> for both Apps (the organization App's and the personal App's
/// key, told apart by the JWT's <c>iss</c>), from the installations <see cref="Install"/> made.
/// </summary>
public sealed class StubGitHub : IAsyncDisposable
{
    public const long AppId = 2167633;

    public const long PersonalAppId = 3131217;

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _personalKey = RSA.Create(2048);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long App, long Installation), (long AccountId, string Login, string Type)> _installations = new();
    private int _installationCalls;
    private readonly List<(HookDelivery Attempt, byte[] Body)> _attempts = [];
    private readonly List<long> _posts = [];
    private readonly List<string> _tokenProblems = [];
    private readonly Queue<(int Status, string? RetryAfter)> _refusals = new();
    private readonly HttpClient _sender = new() { Timeout = TimeSpan.FromSeconds(15) };
    private long _nextId = 10_000;
    private int _pagesServed;
    private int _passBeforeRefusal;

    private StubGitHub(WebApplication app) => _app = app;

    /// <summary>The App's private key, PKCS#1 PEM, as GitHub hands it out.</summary>
    public string PrivateKeyPem => _key.ExportRSAPrivateKeyPem();

    /// <summary>The personal App's private key, PKCS#1 PEM.</summary>
    public string PersonalPrivateKeyPem => _personalKey.ExportRSAPrivateKeyPem();

    /// <summary>Requests for an installation that passed the JWT check, whatever was answered.</summary>
    public int InstallationCalls => Volatile.Read(ref _installationCalls);

    /// <summary>When set, every installation request with a good token is answered this status (GitHub failing).</summary>
    public int? InstallationFailure { get; set; }

    /// <summary>How long each installation answer takes (a slow GitHub).</summary>
    public TimeSpan InstallationDelay { get; set; }

    /// <summary>GitHub installs App <paramref name="appId"/> on an account (type Organization or User).</summary>
    public void Install(long appId, long installationId, long accountId, string login, string type) =>
        _installations[(appId, installationId)] = (accountId, login, type);

    /// <summary>GITHUB_API_URL for this stub.</summary>
    public string ApiUrl => _app.Urls.First() + "/";

    /// <summary>Where deliveries go: the App's webhook URL.</summary>
    public Uri? Target { get; set; }

    /// <summary>Attempts per page of the listing (GitHub's per_page is capped at 100; small here so paging shows).</summary>
    public int PageSize { get; set; } = 3;

    /// <summary>Attempt ids of every redelivery asked for, in order.</summary>
    public IReadOnlyList<long> Posts
    {
        get
        {
            lock (_posts)
            {
                return [.. _posts];
            }
        }
    }

    public IReadOnlyList<string> TokenProblems
    {
        get
        {
            lock (_tokenProblems)
            {
                return [.. _tokenProblems];
            }
        }
    }

    public int PagesServed => Volatile.Read(ref _pagesServed);

    /// <summary>Ids the stub refuses to redeliver (422), as GitHub does for a delivery it no longer has.</summary>
    public HashSet<long> Refused { get; } = [];

    public IReadOnlyList<HookDelivery> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.Select(a => a.Attempt).ToList();
            }
        }
    }

    /// <summary>
    /// After <paramref name="after"/> more requests go through, the next is refused with this
    /// status and Retry-After (or none: then no requests remain until a reset in an hour).
    /// </summary>
    public void Refuse(int status, string? retryAfter, int after = 0)
    {
        lock (_refusals)
        {
            _refusals.Enqueue((status, retryAfter));
            _passBeforeRefusal = after;
        }
    }

    public static async Task<StubGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubGitHub(app);
        app.MapGet("/app/hook/deliveries", (Delegate)stub.ListAsync);
        app.MapGet("/app/hook/deliveries/{id:long}", (Delegate)stub.DeliveryAsync);
        app.MapPost("/app/hook/deliveries/{id:long}/attempts", (Delegate)stub.RedeliverAsync);
        app.MapGet("/app/installations/{id:long}", (Delegate)stub.InstallationAsync);
        await app.StartAsync();
        return stub;
    }

    /// <summary>GitHub sending a delivery: POSTs it, signed, to <see cref="Target"/> and records the attempt (status 0 when nothing answered).</summary>
    public async Task<HookDelivery> DeliverAsync(string eventName, byte[] body, DateTimeOffset? at = null, string? guid = null, bool redelivery = false)
    {
        guid ??= Guid.NewGuid().ToString();
        var status = await SendAsync(eventName, body, guid);
        return Record(eventName, body, at ?? DateTimeOffset.UtcNow, status, guid, redelivery);
    }

    /// <summary>Records an attempt without sending it (one from before the test, say).</summary>
    public HookDelivery Record(string eventName, byte[] body, DateTimeOffset at, int statusCode, string? guid = null, bool redelivery = false)
    {
        var payload = JsonNode.Parse(body)!;
        var attempt = new HookDelivery(
            Interlocked.Increment(ref _nextId),
            guid ?? Guid.NewGuid().ToString(),
            at,
            redelivery,
            statusCode,
            eventName,
            payload["action"]?.GetValue<string>(),
            payload["repository"]?["id"]?.GetValue<long>());
        lock (_attempts)
        {
            _attempts.Add((attempt with { Event = eventName }, body));
        }

        return attempt;
    }

    private async Task<int> SendAsync(string eventName, byte[] body, string guid)
    {
        if (Target is null)
        {
            return 0;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(Event.Header, eventName);
        request.Headers.TryAddWithoutValidation(Event.DeliveryHeader, guid);
        request.Headers.TryAddWithoutValidation(Signature.Header, Deliveries.Signed(eventName, body, guid).Signature);
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/stub");
        try
        {
            using var response = await _sender.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private async Task<IResult> ListAsync(HttpContext context)
    {
        if (await Check(context) is { } refusal)
        {
            return refusal;
        }

        Interlocked.Increment(ref _pagesServed);
        var cursor = int.TryParse(context.Request.Query["cursor"], CultureInfo.InvariantCulture, out var c) ? c : 0;
        List<HookDelivery> newestFirst;
        lock (_attempts)
        {
            newestFirst = _attempts.Select(a => a.Attempt).OrderByDescending(a => a.DeliveredAt).ThenByDescending(a => a.Id).ToList();
        }

        var page = newestFirst.Skip(cursor).Take(PageSize).ToList();
        if (cursor + PageSize < newestFirst.Count)
        {
            context.Response.Headers.Link = $"<{ApiUrl}app/hook/deliveries?per_page=100&cursor={cursor + PageSize}>; rel=\"next\"";
        }

        var json = new JsonArray(page.Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a.Id,
            ["guid"] = a.Guid,
            ["delivered_at"] = a.DeliveredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["redelivery"] = a.Redelivery,
            ["duration"] = 0.27,
            ["status"] = a.StatusCode == 0 ? "Connection refused" : a.Succeeded ? "OK" : $"Invalid HTTP Response: {a.StatusCode}",
            ["status_code"] = a.StatusCode,
            ["event"] = a.Event,
            ["action"] = a.Action,
            ["installation_id"] = 123,
            ["repository_id"] = a.RepositoryId,
            ["throttled_at"] = null,
        }).ToArray());
        return Results.Text(json.ToJsonString(), "application/json");
    }

    /// <summary>The recorded attempt with that id, or a default pair whose Attempt is null.</summary>
    private (HookDelivery Attempt, byte[] Body) Find(long id)
    {
        lock (_attempts)
        {
            return _attempts.FirstOrDefault(a => a.Attempt.Id == id);
        }
    }

    private async Task<IResult> DeliveryAsync(HttpContext context, long id)
    {
        var found = Find(id);
        return await Check(context) is { } refusal ? refusal
            : found.Attempt is null ? Results.Json(new { message = "Not Found" }, statusCode: 404)
            : Results.Text(
                new JsonObject
                {
                    ["id"] = found.Attempt.Id,
                    ["guid"] = found.Attempt.Guid,
                    ["event"] = found.Attempt.Event,
                    ["status_code"] = found.Attempt.StatusCode,
                    ["request"] = new JsonObject { ["headers"] = new JsonObject { ["X-GitHub-Event"] = found.Attempt.Event }, ["payload"] = JsonNode.Parse(found.Body) },
                    ["response"] = new JsonObject { ["headers"] = new JsonObject(), ["payload"] = null },
                }.ToJsonString(),
                "application/json");
    }

    private async Task<IResult> RedeliverAsync(HttpContext context, long id)
    {
        if (await Check(context) is { } refusal)
        {
            return refusal;
        }

        var original = Find(id);
        if (original.Attempt is null)
        {
            return Results.Json(new { message = "Not Found" }, statusCode: 404);
        }

        if (Refused.Contains(id))
        {
            return Results.Json(new { message = "Validation Failed" }, statusCode: 422);
        }

        lock (_posts)
        {
            _posts.Add(id);
        }

        await DeliverAsync(original.Attempt.Event, original.Body, guid: original.Attempt.Guid, redelivery: true);
        return Results.Json(new { }, statusCode: 202);
    }

    /// <summary>An installation of the App whose JWT this is, as GitHub answers it (a little of it); 404 when that App has none by this id.</summary>
    private async Task<IResult> InstallationAsync(HttpContext context, long id)
    {
        var (problem, appId) = await TokenOfEitherAppAsync(context.Request.Headers.Authorization.ToString());
        if (problem is not null)
        {
            lock (_tokenProblems)
            {
                _tokenProblems.Add(problem);
            }

            return Results.Json(new { message = "A JSON web token could not be decoded" }, statusCode: 401);
        }

        Interlocked.Increment(ref _installationCalls);
        if (InstallationDelay > TimeSpan.Zero)
        {
            await Task.Delay(InstallationDelay);
        }

        if (InstallationFailure is { } failure)
        {
            return Results.Json(new { message = "Server Error" }, statusCode: failure);
        }

        return _installations.TryGetValue((appId, id), out var account)
            ? Results.Text(
                new JsonObject
                {
                    ["id"] = id,
                    ["account"] = new JsonObject { ["login"] = account.Login, ["id"] = account.AccountId, ["type"] = account.Type },
                    ["app_id"] = appId,
                    ["target_type"] = account.Type,
                }.ToJsonString(),
                "application/json")
            : Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app" }, statusCode: 404);
    }

    /// <summary>The token checked with the key of the App its <c>iss</c> names: the problem, or none and the App id.</summary>
    private async Task<(string? Problem, long AppId)> TokenOfEitherAppAsync(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return ("no bearer token", 0);
        }

        string? issuer;
        try
        {
            issuer = new JsonWebToken(authorization["Bearer ".Length..]).Issuer;
        }
        catch (ArgumentException e)
        {
            return ($"not a JWT: {e.Message}", 0);
        }

        return issuer switch
        {
            "2167633" => (await TokenProblemAsync(authorization, AppId, _key), AppId),
            "3131217" => (await TokenProblemAsync(authorization, PersonalAppId, _personalKey), PersonalAppId),
            _ => ($"iss {issuer} is neither App", 0),
        };
    }

    /// <summary>The JWT check and the queued refusals: null when the request may go on.</summary>
    private async Task<IResult?> Check(HttpContext context)
    {
        context.Response.Headers["X-RateLimit-Limit"] = "5000";
        context.Response.Headers["X-RateLimit-Remaining"] = "4999";
        var problem = await TokenProblemAsync(context.Request.Headers.Authorization.ToString(), AppId, _key);
        if (problem is not null)
        {
            lock (_tokenProblems)
            {
                _tokenProblems.Add(problem);
            }

            return Results.Json(new { message = "A JSON web token could not be decoded" }, statusCode: 401);
        }

        (int Status, string? RetryAfter) refusal;
        lock (_refusals)
        {
            if (_refusals.Count == 0 || _passBeforeRefusal-- > 0)
            {
                return null;
            }

            refusal = _refusals.Dequeue();
        }

        if (refusal.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = refusal.RetryAfter;
        }
        else
        {
            context.Response.Headers["X-RateLimit-Remaining"] = "0";
            context.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        return Results.Json(new { message = "API rate limit exceeded" }, statusCode: refusal.Status);
    }

    private static async Task<string?> TokenProblemAsync(string authorization, long appId, RSA key)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "no bearer token";
        }

        var token = authorization["Bearer ".Length..];
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(key.ExportParameters(includePrivateParameters: false)),
            ValidIssuer = appId.ToString(CultureInfo.InvariantCulture),
            ValidateAudience = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
        });
        if (!result.IsValid)
        {
            return $"invalid: {result.Exception?.Message}";
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var now = DateTimeOffset.UtcNow;
        var issuedAt = new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero);
        return jwt.Alg != "RS256" ? $"alg {jwt.Alg}"
            : now - issuedAt is var age && (age < TimeSpan.FromSeconds(50) || age > TimeSpan.FromSeconds(120)) ? $"iat {age.TotalSeconds} s ago, not about 60"
            : jwt.ValidTo - jwt.IssuedAt > TimeSpan.FromMinutes(10) ? $"lives {(jwt.ValidTo - jwt.IssuedAt).TotalMinutes} min, more than 10"
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        _sender.Dispose();
        _key.Dispose();
        _personalKey.Dispose();
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(quickly.Token);
        await _app.DisposeAsync();
    }
}
