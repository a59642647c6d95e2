using Ghfe.Configuration;
using Ghfe.Proxy;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Proxy;

public class StagingForwardingTests
{
    private static readonly Uri Staging = new("http://staging.internal:8080/");

    private static StagingForwarding Forwarding(bool prod, Uri? url = null) =>
        StagingForwarding.From(
            new GhfeSettings(["s"], "postgresql://u@h/db", prod, url ?? Staging, RoutingFile.ShippedPath, Microsoft.Extensions.Logging.LogLevel.Information),
            ShippedRouting.Prod);

    private static byte[] Body(long owner, string repository) =>
        Payloads.Serialize(Payloads.Queued(owner: owner, ownerLogin: "x", repository: repository));

    [Theory]
    [InlineData(152654596, "riseproject-dev/riscv-runner", true)]
    [InlineData(152654596, "riseproject-dev/RISCV-Runner-App", true)]
    [InlineData(152654596, "riseproject-dev/riscv-runner-device-plugin", true)]
    [InlineData(152654596, "riseproject-dev/pytorch", false)]
    [InlineData(660779, "someone/riscv-runner-sample", true)]
    [InlineData(660779, "someone/riscv-runner", false)]
    [InlineData(21003710, "pytorch/riscv-runner", false)]
    public void Prod_forwards_only_the_listed_repositories_of_an_entity(long owner, string repository, bool forwarded)
    {
        Assert.Equal(forwarded ? Staging : null, Forwarding(prod: true).TargetFor(Body(owner, repository)));
    }

    [Fact]
    public void Staging_never_forwards_whatever_STAGING_URL_says()
    {
        var forwarding = Forwarding(prod: false);
        Assert.False(forwarding.Enabled);
        Assert.Null(forwarding.TargetFor(Body(152654596, "riseproject-dev/riscv-runner")));
    }

    [Fact]
    public void Without_STAGING_URL_nothing_is_forwarded()
    {
        var forwarding = StagingForwarding.From(
            new GhfeSettings(["s"], null, true, null, RoutingFile.ShippedPath, Microsoft.Extensions.Logging.LogLevel.Information),
            ShippedRouting.Prod);
        Assert.Null(forwarding.TargetFor(Body(152654596, "riseproject-dev/riscv-runner")));
        Assert.Equal("staging forwarding: off (STAGING_URL is unset)", forwarding.Describe(prod: true));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"repository": {"name": "riscv-runner", "owner": {"id": "152654596"}}}""")]
    [InlineData("""{"repository": {"name": 5, "owner": {"id": 152654596}}}""")]
    [InlineData("""{"repository": "riseproject-dev/riscv-runner"}""")]
    public void A_body_too_broken_to_tell_is_handled_here(string body)
    {
        Assert.Null(Forwarding(prod: true).TargetFor(System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Describes_where_and_for_whom()
    {
        Assert.Equal(
            "staging forwarding: on, to http://staging.internal:8080/, for owner 660779: riscv-runner-sample; "
            + "owner 152654596: riscv-runner, riscv-runner-app, riscv-runner-device-plugin, riscv-runner-images, riscv-runner-sample",
            Forwarding(prod: true).Describe(prod: true));
    }
}
