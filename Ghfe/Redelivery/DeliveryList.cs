using System.Globalization;
using System.Text.Json;

namespace Ghfe.Redelivery;

/// <summary>Reads a page of <c>GET /app/hook/deliveries</c>: a JSON array of attempts.</summary>
public static class DeliveryList
{
    /// <summary>The page's attempts; throws <see cref="JsonException"/> when it is not such a page.</summary>
    public static IReadOnlyList<HookDelivery> Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"expected an array of deliveries, got {document.RootElement.ValueKind}");
        }

        return document.RootElement.EnumerateArray().Select(Attempt).ToList();
    }

    private static HookDelivery Attempt(JsonElement item) => new(
        item.GetProperty("id").GetInt64(),
        item.GetProperty("guid").GetString() ?? throw new JsonException("a delivery without a guid"),
        DateTimeOffset.Parse(item.GetProperty("delivered_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        item.TryGetProperty("redelivery", out var redelivery) && redelivery.ValueKind == JsonValueKind.True,
        item.TryGetProperty("status_code", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : 0,
        item.GetProperty("event").GetString() ?? string.Empty,
        item.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String ? action.GetString() : null,
        item.TryGetProperty("repository_id", out var repository) && repository.ValueKind == JsonValueKind.Number ? repository.GetInt64() : null);

    /// <summary>
    /// From <c>GET /app/hook/deliveries/{id}</c>, the delivered payload's repository and job id,
    /// for the line a redelivery prints; what it cannot read is null.
    /// </summary>
    public static AskDetail Describe(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("request", out var request)
                || request.ValueKind != JsonValueKind.Object
                || !request.TryGetProperty("payload", out var payload)
                || payload.ValueKind != JsonValueKind.Object)
            {
                return AskDetail.Unknown;
            }

            var repository = payload.TryGetProperty("repository", out var repo) && repo.ValueKind == JsonValueKind.Object
                && repo.TryGetProperty("full_name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
            var job = payload.TryGetProperty("workflow_job", out var workflowJob) && workflowJob.ValueKind == JsonValueKind.Object
                && workflowJob.TryGetProperty("id", out var id) && id.TryGetInt64(out var jobId)
                ? jobId
                : (long?)null;
            return new AskDetail(repository, job);
        }
        catch (JsonException)
        {
            return AskDetail.Unknown;
        }
    }

    /// <summary>GitHub's error answers carry <c>{"message": …}</c>; that, or the start of the text.</summary>
    public static string MessageOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not GitHub's JSON: the text itself says more than nothing.
        }

        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
