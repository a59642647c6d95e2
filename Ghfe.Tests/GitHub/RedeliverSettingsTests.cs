using System.Security.Cryptography;
using Ghfe.GitHub;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.GitHub;

/// <summary><c>ghfe redeliver</c> before any delivery is listed: keys, ids, flags, an API that is not there.</summary>
public class RedeliverSettingsTests
{
    private static async Task<(int Code, string Output, string Errors)> RunAsync(string[] args, params (string Name, string Value)[] environment)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await RedeliverCommand.RunAsync(args, name => environment.Where(e => e.Name == name).Select(e => e.Value).FirstOrDefault(), output, errors, TimeProvider.System);
        return (code, output.ToString().Trim(), errors.ToString().Trim());
    }

    [Fact]
    public void The_cli_hands_redeliver_to_the_command() => Assert.True(Cli.Handles(["redeliver", "--dry-run"]));

    [Fact]
    public async Task No_key_at_all_says_so_and_exits_2() =>
        Assert.Equal(
            (2, string.Empty, "no GitHub App key is set (GHAPP_ORG_PRIVATE_KEY, GHAPP_PERSONAL_PRIVATE_KEY): nothing to redeliver with"),
            await RunAsync([], ("GHAPP_ORG_ID", "1"), ("GHAPP_PERSONAL_PRIVATE_KEY", "  ")));

    /// <summary>The CronJob's case: its secret is missing, and the run must fail so the Job shows it.</summary>
    [Trait("Speed", "Slow")]
    [Fact]
    public async Task The_built_binary_without_a_key_fails_with_one_line()
    {
        var (code, output, errors) = await BuiltRedeliver.RunAsync(
            [],
            new Dictionary<string, string?> { ["GHAPP_ORG_PRIVATE_KEY"] = null, ["GHAPP_PERSONAL_PRIVATE_KEY"] = null },
            TimeSpan.FromSeconds(60));

        Assert.Equal((2, string.Empty), (code, output));
        Assert.Equal("no GitHub App key is set (GHAPP_ORG_PRIVATE_KEY, GHAPP_PERSONAL_PRIVATE_KEY): nothing to redeliver with", errors.Trim());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--since", "2d", "--help")]
    public async Task Help_prints_the_flags_and_settings_and_exits_0_with_no_key_needed(params string[] args)
    {
        var (code, output, errors) = await RunAsync(args);

        Assert.Equal((0, string.Empty), (code, errors));
        Assert.StartsWith("usage: ghfe redeliver [--since 24h]", output, StringComparison.Ordinal);
        foreach (var expected in new[] { "--retry-after", "--dry-run", "--max N", "--max-pages N", "GHAPP_ORG_PRIVATE_KEY", "GHAPP_PERSONAL_ID", "GITHUB_API_URL", "exit status" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task The_built_binary_answers_help()
    {
        var (code, output, errors) = await BuiltRedeliver.RunAsync(["--help"], new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));

        Assert.Equal((0, string.Empty), (code, errors));
        Assert.StartsWith("usage: ghfe redeliver", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_a_key_is_one_line_and_exit_1()
    {
        var (code, output, errors) = await RunAsync([], ("GHAPP_PERSONAL_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----"));

        Assert.Equal((1, string.Empty), (code, output));
        Assert.StartsWith("personal App 3131217: GHAPP_PERSONAL_PRIVATE_KEY is not a PEM RSA private key: ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors);
    }

    [Fact]
    public async Task A_bad_app_id_or_flag_or_api_url_is_exit_2()
    {
        using var key = RSA.Create(2048);
        var pem = key.ExportRSAPrivateKeyPem();

        Assert.Equal((2, string.Empty, "GHAPP_ORG_ID must be a positive App id (got \"app\")"), await RunAsync([], ("GHAPP_ORG_PRIVATE_KEY", pem), ("GHAPP_ORG_ID", "app")));
        Assert.Equal(2, (await RunAsync(["--since", "forever"], ("GHAPP_ORG_PRIVATE_KEY", pem))).Code);
        Assert.Equal((2, string.Empty, "GITHUB_API_URL must be an http(s) address (got \"api.github.com\")"), await RunAsync([], ("GHAPP_ORG_PRIVATE_KEY", pem), ("GITHUB_API_URL", "api.github.com")));
    }

    [Fact]
    public async Task An_unreachable_api_is_one_line_and_exit_1()
    {
        using var key = RSA.Create(2048);
        var port = GhfeProcess.FreePort();

        var (code, output, errors) = await RunAsync([], ("GHAPP_ORG_PRIVATE_KEY", key.ExportPkcs8PrivateKeyPem()), ("GITHUB_API_URL", $"http://127.0.0.1:{port}"));

        Assert.Equal((1, string.Empty), (code, output));
        Assert.StartsWith($"org App 2167633: cannot reach GitHub's API at http://127.0.0.1:{port}/: ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors);
    }
}
