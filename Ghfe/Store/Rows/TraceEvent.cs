using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>
/// One event of <c>/trace</c>, in the shape of the control plane's <c>installation_events</c> rows,
/// whichever generation it was read from. <see cref="JobId"/> and <see cref="RepoFullName"/> only
/// for <c>workflow_job</c> events; absent fields are left out of the JSON.
/// </summary>
/// <param name="JobId">A string, as the control plane reads it out of the payload.</param>
public sealed record TraceEvent(
    long Id,
    string Source,
    string Event,
    string Outcome,
    long? InstallationId,
    long? AppId,
    string? EntityType,
    long? EntityId,
    string? EntityName,
    DateTimeOffset ReceivedAt,
    string? JobId,
    string? RepoFullName)
{
    /// <summary>The source the control plane names its webhook's rows with; ghfe's delivery log holds no other.</summary>
    public const string Webhook = "webhook";

    private const string JobEvents = "workflow_job";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcTimestamps() },
    };

    /// <summary>
    /// A row of ghfe's delivery log as the event the control plane would have written: the event
    /// named <c>&lt;event&gt;.&lt;action&gt;</c>, ghfe's outcome in the control plane's words
    /// (<see cref="ControlPlaneOutcome"/>), and where it has none (a delivery spooled, refused for
    /// its payload, or failed on the database) ghfe's own.
    /// </summary>
    public static TraceEvent OfDelivery(
        long id, string? eventName, string? action, string outcome, long? installationId, long? appId, string? ownerType, long? ownerId, string? ownerLogin,
        DateTimeOffset receivedAt, long? jobId, string? repository)
    {
        var name = action is null ? eventName ?? string.Empty : $"{eventName}.{action}";
        var target = JobAction.Target(action ?? string.Empty).MatchUnsafe(Right: status => (JobStatus?)status, Left: _ => null);
        var mapped = DeliveryOutcomes.Parse(outcome) is { } known ? ControlPlaneOutcome.Of(known, target) : null;
        var isJob = eventName == JobEvents && action is not null;
        return new TraceEvent(
            id, Webhook, name, mapped ?? outcome, installationId, appId, ownerType, ownerId, ownerLogin, receivedAt,
            isJob ? jobId?.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, isJob ? repository : null);
    }

    /// <summary><c>{"events":[…]}</c>, oldest first as given.</summary>
    public static string Serialize(IReadOnlyList<TraceEvent> events) => JsonSerializer.Serialize(new TraceEvents(events), Json);

    private sealed record TraceEvents(IReadOnlyList<TraceEvent> Events);

    private sealed class UtcTimestamps : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value.UtcDateTime);
    }
}
