using Ghfe.Configuration;
using Microsoft.Extensions.Logging;

namespace Ghfe.Tests.Configuration;

public class GhfeSettingsTests
{
    private static GhfeSettings Read(params (string Name, string Value)[] variables) =>
        GhfeSettings.Read(Lookup(variables)).Match(Right: s => s, Left: problem => throw new InvalidOperationException(problem));

    private static string Problem(params (string Name, string Value)[] variables) =>
        GhfeSettings.Read(Lookup(variables)).Match(Right: _ => "(read)", Left: problem => problem);

    private static Func<string, string?> Lookup((string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    [Fact]
    public void Defaults_to_staging_info_and_the_shipped_file()
    {
        var settings = Read(("GHAPP_WEBHOOK_SECRET", "s"), ("POSTGRES_URL", "postgresql://u@h/db"));

        Assert.Equal(("staging", "staging_queue_event", LogLevel.Information, RoutingFile.ShippedPath),
            (settings.Schema, settings.NotifyChannel, settings.LogLevel, settings.ConfigPath));
        Assert.True(settings.StagingUrl.IsNone);
    }

    [Fact]
    public void Prod_selects_the_prod_schema_and_channel()
    {
        var settings = Read(("GHAPP_WEBHOOK_SECRET", "s"), ("PROD", "true"));
        Assert.Equal(("prod", "prod_queue_event"), (settings.Schema, settings.NotifyChannel));
    }

    [Fact]
    public void Accepts_the_previous_secret_after_the_current_one()
    {
        var settings = Read(("GHAPP_WEBHOOK_SECRET", "new"), ("GHAPP_WEBHOOK_SECRET_PREVIOUS", "old"));
        Assert.Equal(["new", "old"], settings.Secrets);
    }

    [Fact]
    public void The_embedded_mode_may_start_without_a_secret()
    {
        Assert.Empty(Read().Secrets);
    }

    [Theory]
    [InlineData("POSTGRES_URL", "postgresql://u@h/db", "GHAPP_WEBHOOK_SECRET is required when POSTGRES_URL is set")]
    [InlineData("GHAPP_WEBHOOK_SECRET_PREVIOUS", "old", "GHAPP_WEBHOOK_SECRET_PREVIOUS is set but GHAPP_WEBHOOK_SECRET is not")]
    [InlineData("PROD", "maybe", "PROD must be true or false (got \"maybe\")")]
    [InlineData("LOGLEVEL", "LOUD", "LOGLEVEL must be DEBUG, INFO, WARNING or ERROR (got \"LOUD\")")]
    [InlineData("STAGING_URL", "staging.example.com", "STAGING_URL must be an absolute http or https URL")]
    [InlineData("GHFE_PAGES_PUBLIC", "sure", "GHFE_PAGES_PUBLIC must be true or false (got \"sure\")")]
    public void Refuses_a_bad_variable_by_name(string name, string value, string expected)
    {
        Assert.StartsWith(expected, Problem((name, value)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    public void Reads_LOGLEVEL(string value, LogLevel level)
    {
        Assert.Equal(level, Read(("LOGLEVEL", value)).LogLevel);
    }

    /// <summary>The pages show private repository names: production needs a token for them, or says in so many words that they are public.</summary>
    [Theory]
    [InlineData(false, null, null, PagesAccess.Public)]
    [InlineData(false, "t", null, PagesAccess.BehindToken)]
    [InlineData(true, null, null, PagesAccess.Closed)]
    [InlineData(true, null, "false", PagesAccess.Closed)]
    [InlineData(true, null, "true", PagesAccess.Public)]
    [InlineData(true, "t", null, PagesAccess.BehindToken)]
    [InlineData(true, "t", "true", PagesAccess.BehindToken)]
    public void Production_pages_need_a_token_unless_declared_public(bool prod, string? token, string? pagesPublic, PagesAccess expected)
    {
        var settings = Read(("GHAPP_WEBHOOK_SECRET", "s"), ("PROD", prod ? "true" : "false"), ("GHFE_PAGES_TOKEN", token ?? string.Empty), ("GHFE_PAGES_PUBLIC", pagesPublic ?? string.Empty));
        Assert.Equal(expected, settings.PagesAccess);
    }
}
