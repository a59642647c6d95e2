using Ghfe.Tests.Support;
using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

/// <summary>installation, installation_repositories and installation_target: answered "&lt;event&gt;.&lt;action&gt; logged", their account read for the log.</summary>
public class InstallationEventTests
{
    private static Decided Decide(string eventName, byte[] body) =>
        Pipeline.Decide(Deliveries.Signed(eventName, body), ShippedRouting.Settings());

    private static DeliveryCommand.LogInstallation Logged(Decided decided) =>
        (DeliveryCommand.LogInstallation)decided.Decision.MatchUnsafe(Right: command => command, Left: rejection => throw new InvalidOperationException(rejection.Text));

    [Theory]
    [InlineData("created")]
    [InlineData("deleted")]
    [InlineData("suspend")]
    [InlineData("new_permissions_accepted")]
    public void An_installation_event_is_logged_with_its_account(string action)
    {
        var decided = Decide("installation", InstallationPayloads.Installation(action, 55, 152654596, "riseproject-dev"));

        Assert.Equal((200, $"installation.{action} logged", "installation_logged"), Answer(decided));
        Assert.Equal(new InstallationAccount(55, "Organization", 152654596, "riseproject-dev"), Logged(decided).Account);
        Assert.Equal((action, 152654596L, "riseproject-dev"), (decided.Summary.Action, decided.Summary.OwnerId!.Value, decided.Summary.OwnerLogin));
    }

    [Fact]
    public void Installation_repositories_reads_the_installations_account_too()
    {
        var decided = Decide("installation_repositories", InstallationPayloads.Installation("added", 56, 660779, "luhenry", "User", repositories: true));

        Assert.Equal((200, "installation_repositories.added logged", "installation_logged"), Answer(decided));
        Assert.Equal(new InstallationAccount(56, "User", 660779, "luhenry"), Logged(decided).Account);
    }

    [Fact]
    public void Installation_target_reads_the_top_level_account_and_keeps_the_whole_body()
    {
        var body = InstallationPayloads.Target(57, 21003710, "pytorch");
        var decided = Decide("installation_target", body);

        Assert.Equal((200, "installation_target.renamed logged", "installation_logged"), Answer(decided));
        var logged = Logged(decided);
        Assert.Equal(new InstallationAccount(57, "Organization", 21003710, "pytorch"), logged.Account);
        Assert.Equal(body, logged.Body.ToArray());
    }

    [Theory]
    [InlineData("installation", """{"action":"created"}""", "Invalid payload: installation is missing")]
    [InlineData("installation", """{"action":"created","installation":{"id":1}}""", "Invalid payload: installation.account is missing")]
    [InlineData("installation_target", """{"action":"renamed","installation":{"id":1}}""", "Invalid payload: account is missing")]
    [InlineData("installation_repositories", """[1]""", "Invalid payload: body must be a JSON object")]
    public void Without_the_object_that_holds_the_account_it_is_a_400(string eventName, string body, string text)
    {
        Assert.Equal((400, text, "invalid_payload"), Answer(Decide(eventName, System.Text.Encoding.UTF8.GetBytes(body))));
    }

    [Fact]
    public void Without_a_target_id_the_account_names_the_entity()
    {
        var decided = Decide("installation", """{"action":"created","installation":{"id":57,"target_type":"Organization","account":{"login":"octo-org","id":38302899}}}"""u8.ToArray());

        Assert.Equal(new InstallationAccount(57, "Organization", 38302899, "octo-org"), Logged(decided).Account);
    }

    [Fact]
    public void Without_an_action_the_event_alone_is_named_and_odd_fields_read_as_unknown()
    {
        var decided = Decide("installation", """{"installation":{"id":"x","account":{"login":7},"target_type":null}}"""u8.ToArray());

        Assert.Equal((200, "installation logged", "installation_logged"), Answer(decided));
        Assert.Equal(new InstallationAccount(null, null, null, null), Logged(decided).Account);
    }

    [Fact]
    public void An_unsigned_installation_event_is_refused_like_any_other()
    {
        var request = Deliveries.Signed("installation", InstallationPayloads.Installation("created", 1, 2, "x")) with { Signature = "sha256=" + new string('0', 64) };

        Assert.Equal((401, "Invalid signature", "invalid_signature"), Answer(Pipeline.Decide(request, ShippedRouting.Settings())));
    }

    private static (int, string, string) Answer(Decided decided)
    {
        var decision = Decision.Of(decided);
        return (decision.Status, decision.Text, decision.Kind);
    }
}
