using Ghfe.Configuration;
using Ghfe.Tests.Support;
using Ghfe.Webhook;
using static LanguageExt.Prelude;

namespace Ghfe.Tests.Webhook;

public class StagingForwardingTests
{
    private static readonly Uri Staging = new("http://staging.internal:8080/");

    private static StagingForwarding Forwarding(bool prod, Uri? url = null) =>
        LiveRouting.ForwardingOf(
            new GhfeSettings(["s"], "postgresql://u@h/db", prod, url ?? Staging, RoutingFile.ShippedPath, Microsoft.Extensions.Logging.LogLevel.Information),
            ShippedRouting.Prod);

    private static byte[] Body(long owner, string repository) =>
        Payloads.Serialize(Payloads.Queued(owner: owner, ownerLogin: "x", repository: repository));

    /// <summary>Where the whole pipeline sends a signed delivery of this body: staging's URL, or null to handle it here.</summary>
    private static Uri? TargetFor(StagingForwarding forwarding, byte[] body) =>
        Pipeline.Decide(Deliveries.Signed("workflow_job", body), ShippedRouting.Settings(prod: true) with { Forwarding = forwarding }).Decision.MatchUnsafe(
            Right: command => (command as DeliveryCommand.Forward)?.Staging,
            Left: _ => null);

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
        Assert.Equal(forwarded ? Staging : null, TargetFor(Forwarding(prod: true), Body(owner, repository)));
    }

    [Fact]
    public void Staging_never_forwards_whatever_STAGING_URL_says()
    {
        var forwarding = Forwarding(prod: false);
        Assert.Equal("staging forwarding: off (this is staging: PROD is not true)", forwarding.Describe(prod: false));
        Assert.Null(TargetFor(forwarding, Body(152654596, "riseproject-dev/riscv-runner")));
    }

    [Fact]
    public void Without_STAGING_URL_nothing_is_forwarded()
    {
        var forwarding = LiveRouting.ForwardingOf(
            new GhfeSettings(["s"], null, true, None, RoutingFile.ShippedPath, Microsoft.Extensions.Logging.LogLevel.Information),
            ShippedRouting.Prod);
        Assert.Null(TargetFor(forwarding, Body(152654596, "riseproject-dev/riscv-runner")));
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
        Assert.Null(TargetFor(Forwarding(prod: true), System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void A_staging_repository_goes_to_staging_whatever_its_action_with_the_bytes_as_signed()
    {
        var payload = Payloads.Queued(owner: 152654596, ownerLogin: "riseproject-dev", repository: "riseproject-dev/riscv-runner");
        payload["action"] = "waiting";
        var body = Payloads.Serialize(payload);

        var decision = Pipeline.Decide(Deliveries.Signed("workflow_job", body), ShippedRouting.Settings(prod: true) with { Forwarding = Forwarding(prod: true) }).Decision;

        var forward = Assert.IsType<DeliveryCommand.Forward>(decision.Match(Right: command => command, Left: rejection => throw new InvalidOperationException(rejection.Text)));
        Assert.Equal(Staging, forward.Staging);
        Assert.Equal(body, forward.Body.ToArray());
    }

    [Fact]
    public void A_forged_delivery_of_a_staging_repository_is_refused_not_forwarded()
    {
        var body = Body(152654596, "riseproject-dev/riscv-runner");
        var forged = Deliveries.Signed("workflow_job", body) with { Signature = "sha256=" + new string('0', 64) };

        var decided = Pipeline.Decide(forged, ShippedRouting.Settings(prod: true) with { Forwarding = Forwarding(prod: true) });

        Assert.Equal(401, decided.Decision.Match(Right: _ => 0, Left: rejection => rejection.Status));
        Assert.Equal(DeliverySummary.Empty, decided.Summary);
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
