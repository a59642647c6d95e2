using System.Text;
using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

public class SignatureTests
{
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("Hello, World!");

    private const string GitHubVector = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    /// <summary>The check the pipeline makes, on a delivery carrying this body and header.</summary>
    private static LanguageExt.Either<Rejection, WebhookRequest> Verify(IReadOnlyList<byte[]> secrets, byte[] body, string header) =>
        Signature.Verify(secrets, new WebhookRequest("workflow_job", header, "delivery", body));

    [Fact]
    public void Computes_GitHubs_documented_test_vector()
    {
        Assert.Equal(GitHubVector, Signature.Compute(Signature.SecretBytes("It's a Secret to Everybody"), Body));
    }

    [Fact]
    public void Accepts_GitHubs_documented_test_vector()
    {
        Assert.True(Verify([Deliveries.SecretBytes], Body, GitHubVector).IsRight);
    }

    [Fact]
    public void Accepts_the_previous_secret_during_a_rotation()
    {
        var current = Signature.SecretBytes("the new one");
        Assert.True(Verify([current, Deliveries.SecretBytes], Body, GitHubVector).IsRight);
        Assert.True(Verify([current], Body, GitHubVector).IsLeft);
    }

    [Theory]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")] // last digit off
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")] // no prefix
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")] // short
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")] // not hex
    [InlineData("sha256=")]
    [InlineData("garbage")]
    public void Refuses_a_wrong_or_malformed_signature(string header)
    {
        var result = Verify([Deliveries.SecretBytes], Body, header);
        Assert.Equal(new Rejection.InvalidSignature(), result.Match(Right: _ => null!, Left: rejection => rejection));
    }

    [Fact]
    public void Refuses_a_body_changed_by_one_byte()
    {
        var changed = Encoding.ASCII.GetBytes("Hello, World?");
        Assert.True(Verify([Deliveries.SecretBytes], changed, GitHubVector).IsLeft);
    }

    [Fact]
    public void The_refusal_never_shows_the_expected_signature()
    {
        var forged = Deliveries.Signed("workflow_job", Payloads.Bytes("workflow_job.queued.json")) with { Signature = "sha256=" + new string('0', 64) };
        var decision = Decision.Of(Pipeline.Decide(forged, ShippedRouting.Settings()));
        var expected = Signature.Compute(Deliveries.SecretBytes, forged.Body.Span);

        Assert.Equal(401, decision.Status);
        Assert.Equal("Invalid signature", decision.Text);
        Assert.DoesNotContain(expected[7..], decision.Text, StringComparison.OrdinalIgnoreCase);
    }
}
