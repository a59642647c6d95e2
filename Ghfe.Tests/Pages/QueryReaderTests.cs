using Ghfe.Pages;

namespace Ghfe.Tests.Pages;

/// <summary>The one rule every page reads its query string by.</summary>
public class QueryReaderTests
{
    private static string Read(string[] known, params (string Name, string Value)[] query) =>
        QueryReader.Read(query.GroupBy(q => q.Name).ToDictionary(g => g.Key, g => g.Select(q => q.Value).ToArray()), known)
            .Match(Right: read => string.Join(",", known.Select(name => read.Text(name) ?? "-")), Left: problem => problem);

    [Fact]
    public void Reads_what_the_page_knows_and_lets_the_token_through()
    {
        Assert.Equal("a b&c,-", Read(["entity", "pool"], ("entity", "a b&c"), ("token", "secret")));
        Assert.Equal("-,-", Read(["entity", "pool"], ("pool", "")));
        Assert.Equal(string.Empty, Read([], ("token", "secret")));
    }

    [Fact]
    public void An_unknown_parameter_is_named_with_the_known_ones()
    {
        Assert.Equal("unknown parameter \"sort\" (known: entity, pool)", Read(["entity", "pool"], ("sort", "asc")));
        Assert.Equal("unknown parameter \"page\" (this page takes none)", Read([], ("page", "2")));
        Assert.Equal($"unknown parameter \"{new string('x', 100)}…\" (known: refresh)", Read(["refresh"], (new string('x', 5000), "1")));
    }

    [Fact]
    public void A_repeated_parameter_is_refused()
    {
        Assert.Equal("parameter \"pool\" is given more than once", Read(["pool"], ("pool", "a"), ("pool", "b")));
        Assert.Equal("parameter \"refresh\" is given more than once", Read(["refresh"], ("refresh", "1"), ("refresh", "1")));
    }

    [Fact]
    public void A_value_too_long_or_not_text_is_refused()
    {
        Assert.Equal(new string('x', QueryReader.MaxLength), Read(["label"], ("label", new string('x', QueryReader.MaxLength))));
        Assert.Equal("label is longer than 1,000 characters or not text", Read(["label"], ("label", new string('x', QueryReader.MaxLength + 1))));
        Assert.Equal("owner is longer than 1,000 characters or not text", Read(["owner"], ("owner", "a\0b")));
    }
}
