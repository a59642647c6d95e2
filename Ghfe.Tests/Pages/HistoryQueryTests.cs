using Ghfe.History;
using Ghfe.Pages;

namespace Ghfe.Tests.Pages;

public class HistoryQueryTests
{
    private static HistoryFilter Parse(params (string Name, string Value)[] query) =>
        HistoryQuery.Parse(Query(query), SampleData.Now).Match(Right: f => f, Left: problem => throw new InvalidOperationException(problem));

    private static string Problem(params (string Name, string Value)[] query) =>
        HistoryQuery.Parse(Query(query), SampleData.Now).Match(Right: _ => "(parsed)", Left: problem => problem);

    private static Dictionary<string, string[]> Query((string Name, string Value)[] query) =>
        query.GroupBy(q => q.Name).ToDictionary(g => g.Key, g => g.Select(q => q.Value).ToArray());

    [Fact]
    public void Defaults_to_the_last_seven_days_first_page_of_100()
    {
        var filter = Parse();
        Assert.Equal(
            (new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), 0, 100),
            (filter.Start, filter.End, filter.Page, filter.PerPage));
        Assert.Equal(7, filter.Days().Count());
    }

    [Fact]
    public void Takes_dates_and_relative_days_and_includes_the_end_day()
    {
        var filter = Parse(("start", "-30d"), ("end", "2026-11-27"));
        Assert.Equal(
            (new DateTimeOffset(2026, 10, 29, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)),
            (filter.Start, filter.End));
    }

    [Fact]
    public void Takes_the_filters()
    {
        var filter = Parse(("entity", "pytorch"), ("pool", "scw-em-rv1"), ("status", "failed"), ("repo", "pytorch/vision"), ("page", "3"), ("per_page", "500"));
        Assert.Equal(("pytorch", "scw-em-rv1", "failed", "pytorch/vision", 3, 500), (filter.Entity, filter.Pool, filter.Status, filter.Repo, filter.Page, filter.PerPage));
    }

    [Theory]
    [InlineData("start", "yesterday", "start must be a date YYYY-MM-DD or a number of days back like -7d (got \"yesterday\")")]
    [InlineData("end", "2026-02-30", "end must be a date YYYY-MM-DD")]
    [InlineData("start", "2026-12-01", "start (2026-12-01) must come before end (2026-11-28)")]
    [InlineData("page", "-1", "page must be a whole number from 0 to up (got \"-1\")")]
    [InlineData("page", "two", "page must be a whole number")]
    [InlineData("per_page", "0", "per_page must be a whole number from 1 to 500 (got \"0\")")]
    [InlineData("per_page", "501", "per_page must be a whole number from 1 to 500")]
    [InlineData("status", "done", "status must be one of pending, running, completed, failed (got \"done\")")]
    [InlineData("sort", "asc", "unknown parameter \"sort\"")]
    public void A_bad_parameter_is_named(string name, string value, string expected)
    {
        Assert.StartsWith(expected, Problem((name, value)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_parameter_is_refused()
    {
        Assert.Equal("parameter \"pool\" is given more than once", Problem(("pool", "a"), ("pool", "b")));
    }

    [Fact]
    public void Gives_its_query_back_for_another_page()
    {
        var filter = Parse(("start", "2026-11-01"), ("entity", "a b&c"), ("per_page", "20"));
        Assert.Equal("start=2026-11-01&end=2026-11-28&entity=a%20b%26c&per_page=20&page=4&token=t%2Fk", filter.QueryFor(4, "t/k"));
    }
}
