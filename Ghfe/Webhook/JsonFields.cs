using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// Reads one field of a <see cref="Payload"/> with its type checked. A missing key and a JSON
/// null read alike; anything else of the wrong type is a 400 that names the field by its path.
/// The stages are built from these readers.
/// </summary>
public static class JsonFields
{
    public static Either<Rejection, Payload.Node> Object(Payload.Node node, string path) =>
        node.Absent ? Missing(path)
        : node.Kind == JsonTokenType.StartObject ? Right<Rejection, Payload.Node>(node)
        : WrongType(path, "an object");

    /// <summary>Missing or null reads as an absent node.</summary>
    public static Either<Rejection, Payload.Node> OptionalObject(Payload.Node node, string path) =>
        node.Absent || node.Kind == JsonTokenType.StartObject ? Right<Rejection, Payload.Node>(node) : WrongType(path, "an object");

    public static Either<Rejection, string> String(Payload.Field field, string path) =>
        field.Absent ? Missing(path) : AsString(field, path);

    /// <summary>A string of at most <paramref name="maxLength"/> characters (UTF-16 code units).</summary>
    public static Either<Rejection, string> String(Payload.Field field, string path, int maxLength) =>
        String(field, path).Bind(text => AtMost(text, path, -1, maxLength));

    /// <summary>Missing or null reads as none.</summary>
    public static Either<Rejection, Option<string>> OptionalString(Payload.Field field, string path) =>
        field.Absent ? Right<Rejection, Option<string>>(None) : AsString(field, path).Map(Some);

    /// <summary>Missing or null reads as none; else at most <paramref name="maxLength"/> characters.</summary>
    public static Either<Rejection, Option<string>> OptionalString(Payload.Field field, string path, int maxLength) =>
        field.Absent ? Right<Rejection, Option<string>>(None) : AsString(field, path).Bind(text => AtMost(text, path, -1, maxLength)).Map(Some);

    /// <summary>The text, or a 400 naming the field and the limit.</summary>
    public static Either<Rejection, string> AtMost(string text, string path, int index, int maxLength) =>
        text.Length > maxLength
            ? new Rejection.InvalidPayload($"{Name(path, index)} is longer than {maxLength} characters")
            : Right<Rejection, string>(text);

    /// <summary>
    /// A GitHub id: a positive JSON integer read exactly as 64-bit. Strings, fractions,
    /// exponent forms, zero, negatives and values past 2^63-1 are refused, never rounded.
    /// </summary>
    public static Either<Rejection, long> Id(Payload.Field field, string path) =>
        field.Absent ? Missing(path)
        : field is { Kind: JsonTokenType.Number, PlainDigits: true, Int64: long id and > 0 } ? Right<Rejection, long>(id)
        : WrongType(path, "a positive 64-bit integer");

    public static Either<Rejection, string> AsString(Payload.Field field, string path) => AsString(field, path, -1);

    /// <summary>An array item, named <c>path[index]</c> when it is refused (the name is only spelled out then).</summary>
    public static Either<Rejection, string> AsString(Payload.Field field, string path, int index) =>
        field.Kind != JsonTokenType.String ? WrongType(Name(path, index), "a string")
        // Invalid UTF-8, or an escaped unpaired surrogate: the parser finds out only when it decodes.
        : field.Text is not { } text ? new Rejection.InvalidPayload($"{Name(path, index)} is not valid Unicode text")
        // PostgreSQL takes no NUL in text or JSONB.
        : text.Contains('\0', StringComparison.Ordinal) ? new Rejection.InvalidPayload($"{Name(path, index)} has a NUL character")
        : Right<Rejection, string>(text);

    /// <summary>
    /// Fields read each on its own, combined: the first refused, in the order given, is the
    /// answer (as if read one after the other), else <paramref name="combine"/> of their values.
    /// </summary>
    public static Either<Rejection, T> FirstRefused<A, B, C, D, E, T>(
        Either<Rejection, A> a, Either<Rejection, B> b, Either<Rejection, C> c, Either<Rejection, D> d, Either<Rejection, E> e,
        Func<A, B, C, D, E, T> combine) =>
        a.IsLeft ? Refusal(a) : b.IsLeft ? Refusal(b) : c.IsLeft ? Refusal(c) : d.IsLeft ? Refusal(d) : e.IsLeft ? Refusal(e)
        : Right<Rejection, T>(combine(Value(a), Value(b), Value(c), Value(d), Value(e)));

    private static Rejection Refusal<T>(Either<Rejection, T> refused) => (Rejection)refused.Case;

    private static T Value<T>(Either<Rejection, T> read) => (T)read.Case;

    private static string Name(string path, int index) => index < 0 ? path : $"{path}[{index}]";

    private static Rejection Missing(string path) => new Rejection.InvalidPayload($"{path} is missing");

    private static Rejection WrongType(string path, string expected) => new Rejection.InvalidPayload($"{path} must be {expected}");
}
