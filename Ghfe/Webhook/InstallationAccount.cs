using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// The account an <c>installation</c>, <c>installation_repositories</c> or
/// <c>installation_target</c> delivery is about: the entity an installation_events row names.
/// Read leniently, as the control plane reads it: only the objects that hold it are required.
/// </summary>
/// <param name="EntityType">installation.target_type (installation_target: the top-level target_type): Organization or User.</param>
/// <param name="EntityId">installation.target_id, else installation.account.id (installation_target: the top-level account.id).</param>
/// <param name="EntityName">The account's login.</param>
public sealed record InstallationAccount(long? InstallationId, string? EntityType, long? EntityId, string? EntityName)
{
    public const string Installation = "installation";

    public const string InstallationRepositories = "installation_repositories";

    /// <summary>An installation's account renamed, or moved: its account stands at the top level.</summary>
    public const string InstallationTarget = "installation_target";

    public static bool IsInstallationEvent(string? eventName) => eventName is Installation or InstallationRepositories or InstallationTarget;

    /// <summary>Pure. The account of a verified installation delivery, or a 400 naming the object it lacks.</summary>
    public static Either<Rejection, InstallationAccount> Read(string eventName, Payload payload) =>
        JsonFields.Object(payload.Installation, "installation").Bind(installation => eventName == InstallationTarget
            ? JsonFields.Object(payload.Account, "account").Map(account => new InstallationAccount(
                Number(installation["id"]), Text(payload.TargetType), Number(account["id"]), Text(account["login"])))
            : JsonFields.Object(installation.Child("account"), "installation.account").Map(account => new InstallationAccount(
                Number(installation["id"]), Text(installation["target_type"]), Number(installation["target_id"]) ?? Number(account["id"]), Text(account["login"]))));

    /// <summary>What the row's <c>event</c> column and the answer say: <c>installation.created</c>, or the event alone without an action.</summary>
    public static string EventName(string eventName, Payload payload) =>
        Text(payload.Action) is { } action ? $"{eventName}.{action}" : eventName;

    private static long? Number(Payload.Field field) => field is { Kind: JsonTokenType.Number, Int64: { } value } ? value : null;

    private static string? Text(Payload.Field field) =>
        field.Kind == JsonTokenType.String && field.Text is { } text && !text.Contains('\0', StringComparison.Ordinal) ? text : null;
}
