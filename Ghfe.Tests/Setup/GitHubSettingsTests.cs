using Ghfe.GitHub;
using Ghfe.Webhook;

namespace Ghfe.Tests.Setup;

/// <summary>The Apps' settings as the service reads them: a bad id or API address stops start-up; a missing or bad key only closes that App's /setup.</summary>
public class GitHubSettingsTests
{
    private static LanguageExt.Either<string, GitHubSettings> Read(params (string Name, string Value)[] settings) =>
        GitHubSettings.Read(name => settings.FirstOrDefault(s => s.Name == name).Value);

    [Fact]
    public void Unset_it_is_production_s_Apps_on_GitHub_s_API_without_keys()
    {
        var settings = Read().Match(Right: s => s, Left: problem => throw new InvalidOperationException(problem));

        Assert.Equal(new Uri("https://api.github.com/"), settings.ApiRoot);
        Assert.Equal((2167633L, 3131217L), (settings.Organization.Id, settings.Personal.Id));
        Assert.Equal("GHAPP_ORG_PRIVATE_KEY is not set", settings.Organization.Jwt.Match(Right: _ => "a key", Left: problem => problem));
        Assert.Equal("GHAPP_PERSONAL_PRIVATE_KEY is not set", settings.Personal.Jwt.Match(Right: _ => "a key", Left: problem => problem));
        Assert.Same(GitHubApp.Personal, settings.AppWithId(3131217));
        Assert.Null(settings.AppWithId(1));
    }

    [Theory]
    [InlineData("GHAPP_ORG_ID", "abc", "GHAPP_ORG_ID must be a positive App id (got \"abc\")")]
    [InlineData("GHAPP_PERSONAL_ID", "-3", "GHAPP_PERSONAL_ID must be a positive App id (got \"-3\")")]
    [InlineData("GITHUB_API_URL", "ftp://example.com", "GITHUB_API_URL must be an http(s) address (got \"ftp://example.com\")")]
    public void A_bad_id_or_address_is_named(string name, string value, string problem) =>
        Assert.Equal(problem, Read((name, value)).Match(Right: _ => "read", Left: p => p));

    [Fact]
    public void A_key_that_is_not_one_is_said_for_that_App_only()
    {
        var settings = Read(("GHAPP_PERSONAL_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\\nnope\\n-----END RSA PRIVATE KEY-----"), ("GHAPP_PERSONAL_ID", "77"))
            .Match(Right: s => s, Left: problem => throw new InvalidOperationException(problem));

        Assert.StartsWith("GHAPP_PERSONAL_PRIVATE_KEY is not a PEM RSA private key", settings.Personal.Jwt.Match(Right: _ => "a key", Left: problem => problem), StringComparison.Ordinal);
        Assert.Equal(77, settings.Personal.Id);
    }

    [Theory]
    [InlineData(null, "Organization", AppFit.NoApp)]
    [InlineData(10L, "Organization", AppFit.Right)]
    [InlineData(10L, null, AppFit.Right)]
    [InlineData(10L, "User", AppFit.Wrong)]
    [InlineData(20L, "User", AppFit.Right)]
    [InlineData(20L, "Organization", AppFit.Wrong)]
    [InlineData(30L, "User", AppFit.Unknown)]
    public void A_delivery_s_App_is_judged_by_the_account_it_names(long? appId, string? ownerType, AppFit fit) =>
        Assert.Equal(fit, AppFits.Of(appId, ownerType, new AppIds(10, 20)));

    [Theory]
    [InlineData("integration", "2167633", 2167633L)]
    [InlineData(null, "2167633", 2167633L)]
    [InlineData("repository", "2167633", null)]
    [InlineData("integration", "0", null)]
    [InlineData("integration", "12x", null)]
    [InlineData("integration", null, null)]
    public void The_App_id_is_read_from_an_App_s_hook_only(string? type, string? id, long? appId) =>
        Assert.Equal(appId, AppFits.AppIdOf(type, id));

    [Fact]
    public void Every_fit_has_its_own_wire_name() =>
        Assert.Equal(AppFits.All.Count, AppFits.All.Select(fit => fit.Wire()).Distinct().Count());
}
