using Ghfe.Configuration;
using Ghfe.Hosting;

namespace Ghfe.Tests.Hosting;

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
        Assert.Contains("riscv-runner:ubuntu-24.04-latest", output, StringComparison.Ordinal);
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
}
