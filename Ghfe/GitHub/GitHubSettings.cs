using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.GitHub;

/// <summary>One App as configured: its id, and its token maker or why there is none (no key, a bad key).</summary>
public sealed record AppCredentials(GitHubApp App, long Id, Either<string, AppJwt> Jwt);

/// <summary>
/// What ghfe needs to call GitHub as its Apps, read from the same settings as <c>ghfe redeliver</c>:
/// <c>GITHUB_API_URL</c>, <c>GHAPP_ORG_ID</c>/<c>GHAPP_PERSONAL_ID</c> (production's ids when unset) and
/// the Apps' private keys. A missing or unreadable key is no reason to stop: only the pages that
/// call GitHub as that App need it, and they say which setting is missing.
/// </summary>
public sealed record GitHubSettings(Uri ApiRoot, AppCredentials Organization, AppCredentials Personal)
{
    public const string DefaultApiUrl = "https://api.github.com";

    public AppCredentials For(AppKind kind) => kind == AppKind.Organization ? Organization : Personal;

    /// <summary>The App whose id this is; none when it is neither configured App's.</summary>
    public GitHubApp? AppWithId(long appId) =>
        appId == Organization.Id ? Organization.App : appId == Personal.Id ? Personal.App : null;

    /// <summary>A bad id or API address is a bad setting, named; a key is read later, when it is needed.</summary>
    public static Either<string, GitHubSettings> Read(Func<string, string?> variable) =>
        from apiRoot in ApiRootOf(variable("GITHUB_API_URL"))
        from organization in CredentialsOf(GitHubApp.Organization, variable)
        from personal in CredentialsOf(GitHubApp.Personal, variable)
        select new GitHubSettings(apiRoot, organization, personal);

    /// <summary>GITHUB_API_URL as a root the API's paths resolve against; GitHub's own when unset.</summary>
    public static Either<string, Uri> ApiRootOf(string? value)
    {
        var apiUrl = string.IsNullOrWhiteSpace(value) ? DefaultApiUrl : value.Trim();
        return Uri.TryCreate(apiUrl.TrimEnd('/') + "/", UriKind.Absolute, out var apiRoot) && apiRoot.Scheme is "http" or "https"
            ? Right<string, Uri>(apiRoot)
            : Left<string, Uri>($"GITHUB_API_URL must be an http(s) address (got \"{apiUrl}\")");
    }

    /// <summary>The App's id setting, production's id when unset.</summary>
    public static Either<string, long> AppIdOf(GitHubApp app, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Right<string, long>(app.DefaultId)
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? Right<string, long>(id)
        : Left<string, long>($"{app.IdVariable} must be a positive App id (got \"{value}\")");

    private static Either<string, AppCredentials> CredentialsOf(GitHubApp app, Func<string, string?> variable) =>
        AppIdOf(app, variable(app.IdVariable)).Map(id => new AppCredentials(
            app,
            id,
            variable(app.KeyVariable) is { } pem && !string.IsNullOrWhiteSpace(pem)
                ? AppJwt.FromPem(id, app.KeyVariable, pem)
                : Left<string, AppJwt>($"{app.KeyVariable} is not set")));
}
