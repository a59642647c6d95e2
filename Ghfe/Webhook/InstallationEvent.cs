namespace Ghfe.Webhook;

/// <summary>
/// One <c>installation_events</c> row of the control-plane generation, all but its outcome: what
/// became of the delivery is known only once it is carried out (<see cref="ControlPlaneOutcome"/>).
/// </summary>
/// <param name="Event"><c>workflow_job.queued</c>, <c>ping</c>, <c>&lt;event&gt;.&lt;action&gt;</c> or the bare event name.</param>
/// <param name="AppId">X-GitHub-Hook-Installation-Target-Id, when it is a number.</param>
/// <param name="EntityType"><c>Organization</c> or <c>User</c> (the column's enum), else none.</param>
/// <param name="Payload">The body as kept (<see cref="EventPayload"/>): JSON text.</param>
public sealed record InstallationEvent(
    string Event,
    long? InstallationId,
    long? AppId,
    string? EntityType,
    long? EntityId,
    string? EntityName,
    string Payload);
