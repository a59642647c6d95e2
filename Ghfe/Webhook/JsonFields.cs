using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>
/// Reads one field of a payload with its type checked. A missing key and a JSON null read
/// alike; anything else of the wrong type is a 400 that names the field by its path.
/// Each reader answers true with the value, or false with the rejection: the stages run on
/// every delivery, so they read fields without allocating closures along the way.
/// </summary>
public static class JsonFields
{
    public static bool TryObject(JsonElement parent, string name, string path, out JsonElement value, [NotNullWhen(false)] out Rejection? rejection) =>
        TryPresent(parent, name, path, out value, out rejection) && (value.ValueKind == JsonValueKind.Object || WrongType(path, "an object", out rejection));

    /// <summary>Missing or null: true with no value.</summary>
    public static bool TryOptionalObject(JsonElement parent, string name, string path, out JsonElement? value, [NotNullWhen(false)] out Rejection? rejection)
    {
        value = null;
        rejection = null;
        if (!TryLookup(parent, name, out var found))
        {
            return true;
        }

        value = found;
        return found.ValueKind == JsonValueKind.Object || WrongType(path, "an object", out rejection);
    }

    public static bool TryString(JsonElement parent, string name, string path, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out Rejection? rejection)
    {
        value = null;
        return TryPresent(parent, name, path, out var found, out rejection) && TryAsString(found, path, out value, out rejection);
    }

    /// <summary>Missing or null: true with no value.</summary>
    public static bool TryOptionalString(JsonElement parent, string name, string path, out string? value, [NotNullWhen(false)] out Rejection? rejection)
    {
        value = null;
        rejection = null;
        return !TryLookup(parent, name, out var found) || TryAsString(found, path, out value, out rejection);
    }

    /// <summary>
    /// A GitHub id: a positive JSON integer read exactly as 64-bit. Strings, fractions,
    /// exponent forms, zero, negatives and values past 2^63-1 are refused, never rounded.
    /// </summary>
    public static bool TryId(JsonElement parent, string name, string path, out long id, [NotNullWhen(false)] out Rejection? rejection)
    {
        id = 0;
        return TryPresent(parent, name, path, out var value, out rejection)
            && ((value.ValueKind == JsonValueKind.Number && IsPlainDigits(value) && value.TryGetInt64(out id) && id > 0)
                || WrongType(path, "a positive 64-bit integer", out rejection));
    }

    public static bool TryAsString(JsonElement value, string path, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out Rejection? rejection)
    {
        text = null;
        rejection = null;
        if (value.ValueKind != JsonValueKind.String)
        {
            return WrongType(path, "a string", out rejection);
        }

        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8, or an escaped unpaired surrogate: JsonDocument finds out only here.
            rejection = new Rejection.InvalidPayload($"{path} is not valid Unicode text");
            return false;
        }

        // PostgreSQL takes no NUL in text or JSONB.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            rejection = new Rejection.InvalidPayload($"{path} has a NUL character");
            text = null;
            return false;
        }

        return true;
    }

    private static bool TryPresent(JsonElement parent, string name, string path, out JsonElement value, [NotNullWhen(false)] out Rejection? rejection)
    {
        rejection = TryLookup(parent, name, out value) ? null : new Rejection.InvalidPayload($"{path} is missing");
        return rejection is null;
    }

    private static bool TryLookup(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Always false: sets the rejection for a value of the wrong type.</summary>
    private static bool WrongType(string path, string expected, out Rejection? rejection)
    {
        rejection = new Rejection.InvalidPayload($"{path} must be {expected}");
        return false;
    }

    private static bool IsPlainDigits(JsonElement number)
    {
        var raw = JsonMarshal.GetRawUtf8Value(number);
        return !raw.IsEmpty && !raw.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }
}
