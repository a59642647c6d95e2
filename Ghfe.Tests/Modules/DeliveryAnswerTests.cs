using Ghfe.Modules;
using Ghfe.Routing;
using Ghfe.Webhook;
using Microsoft.AspNetCore.Http;

namespace Ghfe.Tests.Modules;

/// <summary>The edge sets a refusal's response headers from the Rejection itself.</summary>
public sealed class DeliveryAnswerTests
{
    private static IHeaderDictionary HeadersOf(Rejection rejection)
    {
        var http = new DefaultHttpContext();
        DeliveryAnswer.Refused(rejection).ToResult(http.Response);
        return http.Response.Headers;
    }

    [Fact]
    public void A_body_with_no_room_now_is_told_when_to_retry_and_its_connection_closes()
    {
        var headers = HeadersOf(new Rejection.NoRoomForBody(5));

        Assert.Equal("5", headers.RetryAfter.ToString());
        Assert.Equal("close", headers.Connection.ToString());
    }

    [Fact]
    public void Only_a_body_cut_at_ghfes_deadline_closes_its_connection()
    {
        Assert.Equal("close", HeadersOf(new Rejection.IncompleteBody(408, CutAtDeadline: true)).Connection.ToString());
        Assert.Empty(HeadersOf(new Rejection.IncompleteBody(408)));
        Assert.Empty(HeadersOf(new Rejection.InvalidSignature()));
    }

    [Fact]
    public void A_ping_is_answered_pong()
    {
        Assert.Equal((200, "pong", DeliveryOutcome.Ping), (DeliveryAnswer.Pong.Status, DeliveryAnswer.Pong.Text, DeliveryAnswer.Pong.Outcome));
    }

    [Fact]
    public void A_refusal_before_routing_is_a_200_whose_log_line_says_why_without_a_warning()
    {
        var banned = DeliveryAnswer.Refused(new Rejection.NotAdmitted(new Refusal.BannedEntity(7)));
        var hidden = DeliveryAnswer.Refused(new Rejection.NotAdmitted(new Refusal.NotPublic("private")));

        Assert.Equal((200, "Ignoring job: entity is banned", DeliveryOutcome.Banned, "owner 7 is banned (banned_entities)"), (banned.Status, banned.Text, banned.Outcome, banned.Note));
        Assert.Equal((200, DeliveryOutcome.NotPublic), (hidden.Status, hidden.Outcome));
        Assert.Null(banned.Why);
    }

    [Fact]
    public void An_installation_event_is_answered_logged()
    {
        var answer = DeliveryAnswer.InstallationLogged(new DeliveryCommand.LogInstallation("installation.created", new InstallationAccount(1, "User", 2, "me"), ReadOnlyMemory<byte>.Empty));

        Assert.Equal((200, "installation.created logged", DeliveryOutcome.InstallationLogged), (answer.Status, answer.Text, answer.Outcome));
    }
}
