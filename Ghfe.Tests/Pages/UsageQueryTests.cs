using Ghfe.Pages;

namespace Ghfe.Tests.Pages;

public class UsageQueryTests
{
    private static string Parse(params (string Name, string Value)[] query) =>
        UsageQuery.Parse(query.GroupBy(q => q.Name).ToDictionary(g => g.Key, g => g.Select(q => q.Value).ToArray()))
            .Match(Right: parsed => $"refresh={parsed.Refresh}", Left: problem => problem);

    [Fact]
    public void Refreshes_unless_told_not_to()
    {
        Assert.Equal("refresh=True", Parse());
        Assert.Equal("refresh=True", Parse(("refresh", "")));
        Assert.Equal("refresh=True", Parse(("refresh", "1")));
        Assert.Equal("refresh=True", Parse(("refresh", "true")));
        Assert.Equal("refresh=False", Parse(("refresh", "0")));
        Assert.Equal("refresh=False", Parse(("refresh", "false")));
        Assert.Equal("refresh=True", Parse(("token", "secret")));
    }

    [Fact]
    public void Names_a_bad_parameter()
    {
        Assert.Equal("unknown parameter \"page\" (known: refresh)", Parse(("page", "2")));
        Assert.Equal("refresh must be 0 or 1 (got \"yes\")", Parse(("refresh", "yes")));
        Assert.Equal("parameter \"refresh\" is given more than once", Parse(("refresh", "1"), ("refresh", "1")));
    }
}
