using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>
/// What a verified delivery says about itself, read leniently for the delivery log: whatever
/// is there and of the right type, nothing required. Pure; never throws.
/// </summary>
public sealed record DeliverySummary(string? Action, long? JobId, long? OwnerId, string? OwnerLogin, string? Repository, IReadOnlyList<string>? Labels)
{
    public static readonly DeliverySummary Empty = new(null, null, null, null, null, null);

    public static DeliverySummary Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Of(document.RootElement);
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    /// <summary>From a parsed body: what <see cref="Pipeline.RouteAndSummarise"/> hands over without parsing again.</summary>
    public static DeliverySummary Of(JsonElement root)
    {
        try
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }

            var repository = Child(root, "repository");
            var owner = repository is { } repo ? Child(repo, "owner") : null;
            var job = Child(root, "workflow_job");
            return new DeliverySummary(
                Text(root, "action"),
                job is { } j ? Number(j, "id") : null,
                owner is { } o ? Number(o, "id") : null,
                owner is { } ow ? Text(ow, "login") : null,
                repository is { } r ? Text(r, "full_name") : null,
                job is { } jl && jl.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array
                    ? [.. labels.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!).Where(l => !l.Contains('\0', StringComparison.Ordinal))]
                    : null);
        }
        catch (InvalidOperationException)
        {
            // A string of invalid UTF-8: JsonDocument finds out only when it is read.
            return Empty;
        }
    }

    private static JsonElement? Child(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement parent, string name)
    {
        var text = parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is not null && !text.Contains('\0', StringComparison.Ordinal) ? text : null;
    }

    private static long? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}
