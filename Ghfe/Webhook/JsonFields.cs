using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>
/// Reads one field of a <see cref="Payload"/> with its type checked. A missing key and a JSON
/// null read alike; anything else of the wrong type is a 400 that names the field by its path.
/// Each reader answers true with the value, or false with the rejection: the stages run on
/// every delivery, so they read fields without allocating closures along the way.
/// </summary>
public static class JsonFields
{
    public static bool TryObject(Payload.Node node, string path, [NotNullWhen(false)] out Rejection? rejection)
    {
        rejection = node.Absent ? Missing(path) : node.Kind == JsonTokenType.StartObject ? null : WrongType(path, "an object");
        return rejection is null;
    }

    /// <summary>Missing or null: true, and the node is absent.</summary>
    public static bool TryOptionalObject(Payload.Node node, string path, [NotNullWhen(false)] out Rejection? rejection)
    {
        rejection = node.Absent || node.Kind == JsonTokenType.StartObject ? null : WrongType(path, "an object");
        return rejection is null;
    }

    public static bool TryString(Payload.Field field, string path, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out Rejection? rejection)
    {
        value = null;
        rejection = field.Absent ? Missing(path) : null;
        return rejection is null && TryAsString(field, path, out value, out rejection);
    }

    /// <summary>Missing or null: true with no value.</summary>
    public static bool TryOptionalString(Payload.Field field, string path, out string? value, [NotNullWhen(false)] out Rejection? rejection)
    {
        value = null;
        rejection = null;
        return field.Absent || TryAsString(field, path, out value, out rejection);
    }

    /// <summary>
    /// A GitHub id: a positive JSON integer read exactly as 64-bit. Strings, fractions,
    /// exponent forms, zero, negatives and values past 2^63-1 are refused, never rounded.
    /// </summary>
    public static bool TryId(Payload.Field field, string path, out long id, [NotNullWhen(false)] out Rejection? rejection)
    {
        id = field.Int64 ?? 0;
        rejection = field.Absent ? Missing(path)
            : field.Kind == JsonTokenType.Number && field.PlainDigits && field.Int64 > 0 ? null
            : WrongType(path, "a positive 64-bit integer");
        return rejection is null;
    }

    public static bool TryAsString(Payload.Field field, string path, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out Rejection? rejection)
    {
        rejection = field.Kind != JsonTokenType.String ? WrongType(path, "a string")
            // Invalid UTF-8, or an escaped unpaired surrogate: the parser finds out only when it decodes.
            : field.Text is null ? new Rejection.InvalidPayload($"{path} is not valid Unicode text")
            // PostgreSQL takes no NUL in text or JSONB.
            : field.Text.Contains('\0', StringComparison.Ordinal) ? new Rejection.InvalidPayload($"{path} has a NUL character")
            : null;
        text = rejection is null ? field.Text : null;
        return rejection is null;
    }

    private static Rejection.InvalidPayload Missing(string path) => new($"{path} is missing");

    private static Rejection.InvalidPayload WrongType(string path, string expected) => new($"{path} must be {expected}");
}
