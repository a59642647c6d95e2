using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>The <c>installation_events</c> row of a verified delivery, in the control-plane generation.</summary>
public static class InstallationEvents
{
    /// <summary>A job's delivery: the repository's owner as the entity, the installation it came through.</summary>
    public static InstallationEvent ForJob(WebhookRequest request, Payload payload, string kept)
    {
        var owner = payload.Repository.Kind == JsonTokenType.StartObject ? payload.Repository.Child("owner") : Payload.Node.Missing;
        var type = Text(owner, "type");
        return new InstallationEvent(
            $"{Event.WorkflowJob}.{(payload.Action is { Kind: JsonTokenType.String, Text: { } action } ? action.Replace('\0', '\uFFFD') : string.Empty)}",
            Number(payload.Installation, "id"),
            AppId(request),
            type is Entity.Organization or Entity.User ? type : null,
            Number(owner, "id"),
            Text(owner, "login"),
            kept);
    }

    /// <summary>An installation delivery: the installation's account as the entity, the payload kept whole.</summary>
    public static InstallationEvent ForInstallation(WebhookRequest request, DeliveryCommand.LogInstallation installation) =>
        new(
            installation.Event,
            installation.Account.InstallationId,
            AppId(request),
            installation.Account.EntityType is Entity.Organization or Entity.User ? installation.Account.EntityType : null,
            installation.Account.EntityId,
            installation.Account.EntityName,
            EventPayload.Whole(request.Body));

    /// <summary>Any other delivery (a ping, an event ghfe ignores): named by its event, kept whole.</summary>
    public static InstallationEvent Of(WebhookRequest request, string eventName) =>
        new(eventName, null, AppId(request), null, null, null, EventPayload.Whole(request.Body));

    /// <summary>The header's number whatever the hook, as the control plane records it.</summary>
    private static long? AppId(WebhookRequest request) => Headers.Number(request.AppId);

    private static long? Number(Payload.Node node, string name) =>
        node.Kind == JsonTokenType.StartObject && node[name] is { Kind: JsonTokenType.Number, Int64: { } value } ? value : null;

    private static string? Text(Payload.Node node, string name) =>
        node.Kind == JsonTokenType.StartObject && node[name] is { Kind: JsonTokenType.String, Text: { } text } && !text.Contains('\0', StringComparison.Ordinal) ? text : null;
}
