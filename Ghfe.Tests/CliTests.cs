using Ghfe.Configuration;

namespace Ghfe.Tests;

public class CliTests
{
    private static (int, string) Run(string[] args, params (string Name, string Value)[] environment) =>
        Cli.Run(args, name => environment.Where(e => e.Name == name).Select(e => e.Value).FirstOrDefault());

    [Fact]
    public void Check_config_prints_the_rules_of_a_valid_file()
    {
        var (code, output) = Run(["check-config", RoutingFile.ShippedPath], ("PROD", "true"));

        Assert.Equal(0, code);
        Assert.Contains("valid (prod images), 3 rules, 4 entities", output, StringComparison.Ordinal);
        Assert.Contains("3. default — applies to everyone", output, StringComparison.Ordinal);
        Assert.Contains("1. pytorch — applies to owner pytorch (21003710); owner riseproject-dev (152654596) repositories", output, StringComparison.Ordinal);
        Assert.Contains("riscv-runner:ubuntu-24.04-latest", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_config_accepts_the_control_planes_file_and_says_who_is_refused()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "routing.control-plane.json");
        var (code, output) = Run(["check-config"], ("GHFE_CONFIG", path), ("PROD", "true"));

        Assert.Equal(0, code);
        Assert.Contains("valid (prod images), 4 rules, 5 entities", output, StringComparison.Ordinal);
        Assert.Contains("refused before routing: banned owners 325883364, 325940811; banned senders 13410920, 326547083; repositories that are not public refused", output, StringComparison.Ordinal);
        Assert.Contains("2. mengzhuo — applies to owner 885662; falls through to the next rule when no route matches", output, StringComparison.Ordinal);
        Assert.Contains("→ pool spacemit-k3 (provider rise), image ghcr.io/riseproject-dev/riscv-runner/runner/ubuntu-26.04:prod", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_config_reads_PROD_and_GHFE_CONFIG_as_the_service_does()
    {
        Assert.Contains("valid (prod images)", Run(["check-config", RoutingFile.ShippedPath], ("PROD", " Yes ")).Item2, StringComparison.Ordinal);
        Assert.Contains($"{RoutingFile.ShippedPath}: valid (staging images)", Run(["check-config"], ("GHFE_CONFIG", "")).Item2, StringComparison.Ordinal);
        Assert.Equal((2, "PROD must be true or false (got \"yes please\")"), Run(["check-config"], ("PROD", "yes please")));
    }

    [Fact]
    public void Check_config_fails_on_a_broken_file_and_says_why()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ghfe-cli-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, File.ReadAllText(RoutingFile.ShippedPath).Replace("\"pool\": \"cloudv10x-jupiter\"", "\"pool\": \"cloudv10x-mars\"", StringComparison.Ordinal));
        try
        {
            var (code, output) = Run(["check-config", path]);
            Assert.Equal(1, code);
            Assert.Contains("unknown pool \"cloudv10x-mars\"", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sign_prints_githubs_header_value()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ghfe-cli-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "Hello, World!");
        try
        {
            Assert.Equal(
                (0, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
                Run(["sign", path], ("GHAPP_WEBHOOK_SECRET", "It's a Secret to Everybody")));
            Assert.Equal(1, Run(["sign", path]).Item1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_wrong_call_shows_the_usage()
    {
        Assert.Equal(2, Run(["sign"]).Item1);
        Assert.False(Cli.Handles(["--urls=http://127.0.0.1:0"]));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_the_service_its_settings_and_every_subcommand(string flag)
    {
        Assert.True(Cli.Handles([flag]));
        var (code, output) = Run([flag]);

        Assert.Equal(0, code);
        foreach (var expected in new[] { "ghfe [--NAME=value ...]", "ghfe check-config [file]", "ghfe sign <file>", "ghfe --help", "GHAPP_WEBHOOK_SECRET", "GHAPP_WEBHOOK_SECRET_PREVIOUS", "POSTGRES_URL", "PROD", "STAGING_URL", "GHFE_CONFIG", "LOGLEVEL", "GHFE_PAGES_TOKEN", "GHFE_PAGES_PUBLIC", "GHFE_LOG_FORMAT", "GHFE_SPOOL_DIR", "GHFE_DB_DEADLINE", "GHFE_DELIVERY_RETENTION_DAYS" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("usage: ghfe check-config [file]", "check-config", "--help")]
    [InlineData("usage: ghfe check-config [file]", "check-config", "-h")]
    [InlineData("usage: ghfe sign <file>", "sign", "--help")]
    public void Each_command_answers_help_with_its_usage_and_exit_0(string usage, params string[] args)
    {
        Assert.True(Cli.Handles(args));

        Assert.Equal((0, usage), (Run(args).Item1, Run(args).Item2.Split(Environment.NewLine)[0]));
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task The_built_binary_answers_help_for_each_command()
    {
        foreach (var args in new[] { new[] { "--help" }, ["check-config", "--help"], ["sign", "--help"], ["redeliver", "--help"] })
        {
            var (code, lines) = await Ghfe.Tests.Support.GhfeProcess.RunCommandAsync(AppContext.BaseDirectory, args);

            Assert.True(code == 0, $"ghfe {string.Join(' ', args)} → exit {code}: {string.Join('\n', lines)}");
            Assert.Contains(lines, line => line.Contains("usage:", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("unknown command frobnicate", "frobnicate")]
    [InlineData("unknown option --prot", "--prot=9000")]
    [InlineData("unknown option --verbose", "--urls=http://127.0.0.1:0", "--verbose")]
    [InlineData("unknown command 8080", "--urls", "http://127.0.0.1:0", "8080")]
    [InlineData("--help takes nothing else", "--help", "me")]
    [InlineData("check-config takes at most one file", "check-config", "a.json", "b.json")]
    public void An_unknown_subcommand_or_flag_prints_the_usage_and_exits_2(string problem, params string[] args)
    {
        Assert.True(Cli.Handles(args));
        var (code, output) = Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith($"ghfe: {problem}", output, StringComparison.Ordinal);
        Assert.Contains("ghfe check-config [file]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls=http://127.0.0.1:0")]
    [InlineData("--urls", "http://127.0.0.1:0", "--PROD", "true")]
    [InlineData("--GHAPP_WEBHOOK_SECRET=s", "--postgres_url=Host=x", "--LOGLEVEL=WARNING", "--GHFE_SPOOL_DIR=/tmp/x")]
    [InlineData("--Kestrel:Limits:MaxConcurrentConnections=100")]
    public void The_services_own_settings_serve(params string[] args)
    {
        Assert.False(Cli.Handles(args));
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public async Task A_relative_path_resolves_from_the_callers_directory_under_dotnet_run()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "Ghfe.sln")))
        {
            repository = Path.GetDirectoryName(repository) ?? throw new InvalidOperationException("no Ghfe.sln above the tests");
        }

        var caller = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"ghfe-cwd-{Guid.NewGuid():N}")).FullName;
        try
        {
            File.Copy(RoutingFile.ShippedPath, Path.Combine(caller, "mine.json"));
            var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/')))!; // bin/<configuration>/net10.0
            var (code, lines) = await Ghfe.Tests.Support.Processes.RunAsync(
                "dotnet", caller, "run", "--no-build", "-c", configuration, "--project", Path.Combine(repository, "Ghfe"), "--", "check-config", "mine.json");

            Assert.True(code == 0, string.Join('\n', lines));
            Assert.StartsWith("mine.json: valid (staging images), 3 rules", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(caller, recursive: true);
        }
    }
}
