using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// Reads one field of a payload with its type checked. A missing key and a JSON null read
/// alike; anything else of the wrong type is a 400 that names the field by its path.
/// </summary>
public static class JsonFields
{
    public static Either<Rejection, JsonElement> Object(JsonElement parent, string name, string path) =>
        Present(parent, name, path).Bind(value => value.ValueKind == JsonValueKind.Object
            ? Right<Rejection, JsonElement>(value)
            : WrongType(path, "an object"));

    public static Either<Rejection, string> String(JsonElement parent, string name, string path) =>
        Present(parent, name, path).Bind(value => AsString(value, path));

    public static Either<Rejection, Option<string>> OptionalString(JsonElement parent, string name, string path) =>
        Lookup(parent, name).Match(
            Some: value => AsString(value, path).Map(Some),
            None: () => Right<Rejection, Option<string>>(None));

    public static Either<Rejection, Option<JsonElement>> OptionalObject(JsonElement parent, string name, string path) =>
        Lookup(parent, name).Match(
            Some: value => value.ValueKind == JsonValueKind.Object
                ? Right<Rejection, Option<JsonElement>>(Some(value))
                : WrongType(path, "an object"),
            None: () => Right<Rejection, Option<JsonElement>>(None));

    /// <summary>
    /// A GitHub id: a positive JSON integer read exactly as 64-bit. Strings, fractions,
    /// exponent forms, zero, negatives and values past 2^63-1 are refused, never rounded.
    /// </summary>
    public static Either<Rejection, long> Id(JsonElement parent, string name, string path) =>
        Present(parent, name, path).Bind(value =>
            value.ValueKind == JsonValueKind.Number && IsPlainDigits(value) && value.TryGetInt64(out var id) && id > 0
                ? Right<Rejection, long>(id)
                : WrongType(path, "a positive 64-bit integer"));

    public static Either<Rejection, Unit> RequireObjectRoot(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
            ? Right<Rejection, Unit>(unit)
            : new Rejection.InvalidPayload("body must be a JSON object");

    private static Either<Rejection, JsonElement> Present(JsonElement parent, string name, string path) =>
        Lookup(parent, name).ToEither<Rejection>(() => new Rejection.InvalidPayload($"{path} is missing"));

    private static Option<JsonElement> Lookup(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Some(value) : None;

    public static Either<Rejection, string> AsString(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return WrongType(path, "a string");
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8, or an escaped unpaired surrogate: JsonDocument finds out only here.
            return new Rejection.InvalidPayload($"{path} is not valid Unicode text");
        }

        // PostgreSQL takes no NUL in text or JSONB.
        return text.Contains('\0', StringComparison.Ordinal)
            ? new Rejection.InvalidPayload($"{path} has a NUL character")
            : Right<Rejection, string>(text);
    }

    private static Rejection WrongType(string path, string expected) =>
        new Rejection.InvalidPayload($"{path} must be {expected}");

    private static bool IsPlainDigits(JsonElement number)
    {
        var raw = number.GetRawText();
        return raw.Length > 0 && raw.All(char.IsAsciiDigit);
    }
}
