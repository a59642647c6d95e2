using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>
/// What a verified delivery says about itself, read leniently for the delivery log: whatever
/// is there and of the right type, nothing required. Pure; never throws.
/// </summary>
public sealed record DeliverySummary(string? Action, long? JobId, long? OwnerId, string? OwnerLogin, string? Repository, IReadOnlyList<string>? Labels)
{
    public static readonly DeliverySummary Empty = new(null, null, null, null, null, null);

    /// <summary>From the verified body, as the stages parsed it (a JSON object).</summary>
    public static DeliverySummary Of(Payload payload)
    {
        var repository = payload.Repository;
        var owner = repository.Kind == JsonTokenType.StartObject ? repository.Child("owner") : Payload.Node.Missing;
        var job = payload.WorkflowJob;
        var labels = job.Kind == JsonTokenType.StartObject && job["labels"].Items is { } items
            ? items.Where(label => label.Kind == JsonTokenType.String).ToList()
            : null;

        // A string that is not valid Unicode among those read: nothing is trusted (as before, when reading it threw).
        Payload.Field[] read = [payload.Action, owner["login"], repository["full_name"], .. labels ?? []];
        if (read.Any(field => field.Kind == JsonTokenType.String && field.Text is null))
        {
            return Empty;
        }

        return new DeliverySummary(
            Text(payload.Action),
            job.Kind == JsonTokenType.StartObject ? Number(job["id"]) : null,
            owner.Kind == JsonTokenType.StartObject ? Number(owner["id"]) : null,
            owner.Kind == JsonTokenType.StartObject ? Text(owner["login"]) : null,
            repository.Kind == JsonTokenType.StartObject ? Text(repository["full_name"]) : null,
            labels?.Select(label => label.Text!).Where(label => !label.Contains('\0', StringComparison.Ordinal)).ToArray());
    }

    private static string? Text(Payload.Field field) =>
        field.Kind == JsonTokenType.String && field.Text is { } text && !text.Contains('\0', StringComparison.Ordinal) ? text : null;

    private static long? Number(Payload.Field field) => field.Kind == JsonTokenType.Number ? field.Int64 : null;
}
