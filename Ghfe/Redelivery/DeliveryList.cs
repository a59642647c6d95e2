using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Redelivery;

/// <summary>
/// Reads what GitHub's webhook-delivery API answers. Nothing in it is trusted: a field of the
/// wrong type or shape skips its item (said in one line), never the run.
/// </summary>
public static partial class DeliveryList
{
    /// <summary>A page of <c>GET /app/hook/deliveries</c> (a JSON array of attempts), or the line that says why it is not one.</summary>
    public static Either<string, DeliveryPage> Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return Left<string, DeliveryPage>($"not JSON ({ApiText.OneLine(e.Message)})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Left<string, DeliveryPage>($"{Kind(document.RootElement)}, not an array of deliveries");
            }

            var attempts = new List<HookDelivery>();
            var skipped = new List<string>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                index++;
                Attempt(item).Match(
                    Right: attempts.Add,
                    Left: problem => skipped.Add($"delivery {index} of the page{IdOf(item)} skipped: {problem}"));
            }

            return Right<string, DeliveryPage>(new DeliveryPage(attempts, skipped));
        }
    }

    private static Either<string, HookDelivery> Attempt(JsonElement item) =>
        item.ValueKind != JsonValueKind.Object
            ? Left<string, HookDelivery>($"it is {Kind(item)}, not an object")
            : from id in Required(item, "id", PositiveInt64, "a positive integer")
              from guid in Required(item, "guid", Guid, "a delivery guid")
              from deliveredAt in Required(item, "delivered_at", Time, "a date and time")
              from eventName in Required(item, "event", Name, "an event name")
              from redelivery in Optional(item, "redelivery", Boolean, "true or false")
              from status in Optional(item, "status_code", Int32, "an HTTP status")
              from action in Optional(item, "action", Name, "an action name")
              from repository in Optional(item, "repository_id", PositiveInt64, "a positive integer")
              select new HookDelivery(
                  id,
                  guid,
                  deliveredAt,
                  redelivery.IfNone(false),
                  status.IfNone(0),
                  eventName,
                  action.MatchUnsafe(a => a, () => (string?)null),
                  repository.MatchUnsafe(r => r, () => (long?)null));

    private static Either<string, T> Required<T>(JsonElement item, string name, Func<JsonElement, Option<T>> read, string expected) =>
        !item.TryGetProperty(name, out var value) ? Left<string, T>($"{name} is missing")
        : read(value).ToEither(() => $"{name} is {Kind(value)}, not {expected}");

    /// <summary>Absent or null is None; anything else must read.</summary>
    private static Either<string, Option<T>> Optional<T>(JsonElement item, string name, Func<JsonElement, Option<T>> read, string expected) =>
        !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? Right<string, Option<T>>(None)
        : read(value).Map(Some).ToEither(() => $"{name} is {Kind(value)}, not {expected}");

    private static Option<long> PositiveInt64(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0 ? Some(number) : None;

    private static Option<int> Int32(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? Some(number) : None;

    private static Option<bool> Boolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => Some(true),
        JsonValueKind.False => Some(false),
        _ => None,
    };

    private static Option<DateTimeOffset> Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Some(time)
            : None;

    /// <summary>GitHub's guids are UUIDs; anything of that alphabet and size prints safely.</summary>
    private static Option<string> Guid(JsonElement value) => Matching(value, GuidPattern());

    /// <summary>Event and action names (<c>workflow_job</c>, <c>in_progress</c>): they are printed.</summary>
    private static Option<string> Name(JsonElement value) => Matching(value, NamePattern());

    private static Option<string> Matching(JsonElement value, Regex pattern) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { } text && pattern.IsMatch(text) ? Some(text) : None;

    private static string IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && PositiveInt64(id).Case is long number ? $" (id {number})" : string.Empty;

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    [GeneratedRegex(@"^[A-Za-z0-9-]{1,64}\z")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"^[a-z_]{1,64}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}\z")]
    private static partial Regex RepositoryPattern();

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
                && repo.TryGetProperty("full_name", out var name)
                ? Matching(name, RepositoryPattern()).Case as string
                : null;
            var job = payload.TryGetProperty("workflow_job", out var workflowJob) && workflowJob.ValueKind == JsonValueKind.Object
                && workflowJob.TryGetProperty("id", out var id)
                ? PositiveInt64(id).Case as long?
                : null;
            return new AskDetail(repository, job);
        }
        catch (JsonException)
        {
            return AskDetail.Unknown;
        }
    }

    /// <summary>GitHub's error answers carry <c>{"message": …}</c>; that, or the start of the text, as one printable line.</summary>
    public static string MessageOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return ApiText.OneLine(message.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not GitHub's JSON: the text itself says more than nothing.
        }

        return ApiText.OneLine(body.ReplaceLineEndings(" ").Trim());
    }
}
