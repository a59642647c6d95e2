namespace Ghfe.Webhook;

/// <summary>
/// What a verified delivery asks of the edge: a job command for the store, to be handed — for a
/// staging repository's delivery in prod — to staging as it came, for a ping, a pong, or for an
/// installation event, to be logged. A closed set.
/// </summary>
public abstract record DeliveryCommand
{
    private DeliveryCommand() { }

    public sealed record Store(JobCommand Command) : DeliveryCommand;

    /// <summary>The raw <paramref name="Body"/> and GitHub's headers go to <paramref name="Staging"/>, whose answer is relayed.</summary>
    public sealed record Forward(Uri Staging, ReadOnlyMemory<byte> Body) : DeliveryCommand;

    /// <summary>A verified ping: answered without touching the database.</summary>
    public sealed record Pong : DeliveryCommand;

    /// <summary>An installation, installation_repositories or installation_target event: logged, and answered 200.</summary>
    /// <param name="Event">As the answer and the installation_events row name it: <c>installation.created</c>.</param>
    /// <param name="Body">The payload as it came: the row keeps it whole.</param>
    public sealed record LogInstallation(string Event, InstallationAccount Account, ReadOnlyMemory<byte> Body) : DeliveryCommand;
}
