using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>
/// What a verified delivery says about itself, read leniently for the delivery log: whatever
/// is there and of the right type, nothing required. Pure; never throws.
/// </summary>
/// <param name="OwnerType">The repository owner's type as sent (Organization, User), whatever it is.</param>
public sealed record DeliverySummary(string? Action, long? JobId, long? OwnerId, string? OwnerLogin, string? Repository, IReadOnlyList<string>? Labels, string? OwnerType = null, long? InstallationId = null)
{
    public static readonly DeliverySummary Empty = new(null, null, null, null, null, null);

    /// <summary>From the verified body, as the stages parsed it (a JSON object).</summary>
    public static DeliverySummary Of(Payload payload)
    {
        var repository = payload.Repository;
        var owner = repository.Kind == JsonTokenType.StartObject ? repository.Child("owner") : Payload.Node.Missing;
        var job = payload.WorkflowJob;
        var items = job.Kind == JsonTokenType.StartObject ? job["labels"].Items : null;

        // A string that is not valid Unicode among those read: nothing is trusted, and the summary is empty.
        if (NotUnicode(payload.Action) || NotUnicode(owner["login"]) || NotUnicode(owner["type"]) || NotUnicode(repository["full_name"]) || items?.Any(NotUnicode) == true)
        {
            return Empty;
        }

        return new DeliverySummary(
            Text(payload.Action),
            job.Kind == JsonTokenType.StartObject ? Number(job["id"]) : null,
            owner.Kind == JsonTokenType.StartObject ? Number(owner["id"]) : null,
            owner.Kind == JsonTokenType.StartObject ? Text(owner["login"]) : null,
            repository.Kind == JsonTokenType.StartObject ? Text(repository["full_name"]) : null,
            items is null ? null : LabelsOf(items),
            owner.Kind == JsonTokenType.StartObject ? Text(owner["type"]) : null,
            payload.Installation.Kind == JsonTokenType.StartObject ? Number(payload.Installation["id"]) : null);
    }

    /// <summary>The string labels, as sent, but those PostgreSQL cannot hold (a NUL).</summary>
    private static string[] LabelsOf(IReadOnlyList<Payload.Field> items)
    {
        var labels = new List<string>(items.Count);
        foreach (var item in items)
        {
            if (Text(item) is { } label)
            {
                labels.Add(label);
            }
        }

        return [.. labels];
    }

    private static bool NotUnicode(Payload.Field field) => field.Kind == JsonTokenType.String && field.Text is null;

    private static string? Text(Payload.Field field) =>
        field.Kind == JsonTokenType.String && field.Text is { } text && !text.Contains('\0', StringComparison.Ordinal) ? text : null;

    private static long? Number(Payload.Field field) => field.Kind == JsonTokenType.Number ? field.Int64 : null;
}
