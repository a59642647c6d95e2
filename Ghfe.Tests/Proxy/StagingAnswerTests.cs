using Ghfe.Proxy;
using Ghfe.Webhook;

namespace Ghfe.Tests.Proxy;

public sealed class StagingAnswerTests
{
    private static readonly Uri Staging = new("http://staging.internal:8080/");

    [Theory]
    [InlineData(200, 200, "forwarded_2xx")]
    [InlineData(202, 202, "forwarded_2xx")]
    [InlineData(400, 400, "forwarded_4xx")]
    [InlineData(401, 401, "forwarded_4xx")]
    [InlineData(499, 499, "forwarded_4xx")]
    public void Staging_2xx_and_4xx_are_relayed_with_its_text(int status, int relayed, string outcome) =>
        Assert.Equal((relayed, "staging's text", outcome), StagingAnswer.Of(status, "staging's text", Staging) is var (s, t, o) ? (s, t, o.Wire()) : default);

    [Theory]
    [InlineData(301, "forward_redirect", "Staging answered 301, a redirect, which ghfe does not follow")]
    [InlineData(307, "forward_redirect", "Staging answered 307, a redirect, which ghfe does not follow")]
    [InlineData(500, "forward_5xx", "Staging answered 500 ")]
    [InlineData(599, "forward_5xx", "Staging answered 599 ")]
    [InlineData(600, "forward_failed", "Staging answered 600, not a status ghfe relays")]
    [InlineData(999, "forward_failed", "Staging answered 999, not a status ghfe relays")]
    [InlineData(101, "forward_failed", "Staging answered 101, not a status ghfe relays")]
    public void Anything_else_is_a_502_in_ghfes_own_words(int status, string outcome, string start)
    {
        var (answered, text, named) = StagingAnswer.Of(status, "staging's text", Staging);

        Assert.Equal((502, outcome), (answered, named.Wire()));
        Assert.StartsWith(start, text, StringComparison.Ordinal);
        Assert.EndsWith("(http://staging.internal:8080); the delivery was not handled.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("staging's text", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Staging_is_named_by_scheme_host_and_port_alone_never_its_user_path_or_query()
    {
        var secret = new Uri("https://forwarder:hunter2@staging.internal:8443/hook/s3cr3t?token=t0ken");
        string[] texts =
        [
            StagingAnswer.Of(500, string.Empty, secret).Text,
            StagingAnswer.NotInTime(secret, TimeSpan.FromSeconds(8)).Text,
            StagingAnswer.Unreachable(secret, "connection failed").Text,
            StagingAnswer.BrokenOff(secret).Text,
        ];

        Assert.All(texts, text =>
        {
            Assert.Contains("(https://staging.internal:8443", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
            Assert.DoesNotContain("t0ken", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_outcome_is_one_of_the_closed_set()
    {
        var outcomes = Enumerable.Range(0, 1000).Select(status => StagingAnswer.Of(status, string.Empty, Staging).Outcome)
            .Append(StagingAnswer.NotInTime(Staging, TimeSpan.FromSeconds(8)).Outcome)
            .Append(StagingAnswer.Unreachable(Staging, "connection failed").Outcome)
            .Append(StagingAnswer.BrokenOff(Staging).Outcome)
            .Distinct();

        Assert.Equal(StagingAnswer.Outcomes.Order(), outcomes.Order());
    }
}
