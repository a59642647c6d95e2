using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>
/// The fields of a delivery that the stages read, taken in one pass of a
/// <see cref="Utf8JsonReader"/> over the body — which also checks that the whole body is JSON —
/// without building a document to search (bench/README.md has what that saves). It
/// reads as <see cref="JsonDocument"/> would: a repeated key keeps its last value, a string is
/// decoded only where it is read.
/// </summary>
public sealed class Payload
{
    public JsonTokenType Root { get; private set; }

    /// <summary>The exact bytes parsed: what was signed, and what goes on to staging.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    public Field Action { get; private set; }

    public Node Repository { get; private set; } = Node.Missing;

    public Node WorkflowJob { get; private set; } = Node.Missing;

    public Node Installation { get; private set; } = Node.Missing;

    /// <summary>Who triggered the delivery (<c>sender.id</c>): a ban may name them.</summary>
    public Node Sender { get; private set; } = Node.Missing;

    /// <summary>installation_target's account, at the top level.</summary>
    public Node Account { get; private set; } = Node.Missing;

    /// <summary>installation_target's <c>target_type</c>, at the top level.</summary>
    public Field TargetType { get; private set; }

    /// <summary>The body parsed once, for every stage, the staging check and the delivery log: a JSON object, or a 400.</summary>
    public static Either<Rejection, Payload> Parse(ReadOnlyMemory<byte> body)
    {
        // RFC 8259: JSON is UTF-8 throughout, even in strings ghfe never reads (the reader only
        // checks those it decodes). One vectorised pass, far cheaper than the parse.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span) || Read(body.Span) is not { } payload)
        {
            return new Rejection.InvalidPayload("body is not valid JSON");
        }

        if (payload.Root != JsonTokenType.StartObject)
        {
            return new Rejection.InvalidPayload("body must be a JSON object");
        }

        payload.Body = body;
        return payload;
    }

    /// <summary>The body parsed, or null when it is not JSON.</summary>
    private static Payload? Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var payload = new Payload();
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            payload.Root = reader.TokenType;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    switch (Names.Root.IndexOf(ref reader))
                    {
                        case 0:
                            reader.Read();
                            payload.Action = Field.Capture(ref reader);
                            break;
                        case 1:
                            payload.Repository = Node.Capture(ref reader, Names.Repository);
                            break;
                        case 2:
                            payload.WorkflowJob = Node.Capture(ref reader, Names.WorkflowJob);
                            break;
                        case 3:
                            payload.Installation = Node.Capture(ref reader, Names.Installation);
                            break;
                        case 4:
                            payload.Sender = Node.Capture(ref reader, Names.Sender);
                            break;
                        case 5:
                            payload.Account = Node.Capture(ref reader, Names.Owner);
                            break;
                        case 6:
                            reader.Read();
                            payload.TargetType = Field.Capture(ref reader);
                            break;
                        default:
                            reader.Read();
                            reader.Skip();
                            break;
                    }
                }
            }
            else
            {
                reader.Skip();
            }

            // Anything after the root value but whitespace is not JSON.
            return reader.Read() ? null : payload;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One value as read: its kind, and for a string its text (null when not valid Unicode), for a number its digits.</summary>
    public readonly record struct Field(JsonTokenType Kind, string? Text, bool PlainDigits, long? Int64, Node? Object, IReadOnlyList<Field>? Items)
    {
        /// <summary>Missing, or JSON null: the two read alike.</summary>
        public bool Absent => Kind is JsonTokenType.None or JsonTokenType.Null;

        internal static Field Capture(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    string? text;
                    try
                    {
                        text = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        text = null;
                    }

                    return new Field(JsonTokenType.String, text, false, null, null, null);
                case JsonTokenType.Number:
                    var digits = !reader.HasValueSequence && !reader.ValueSpan.IsEmpty && !reader.ValueSpan.ContainsAnyExceptInRange((byte)'0', (byte)'9');
                    return new Field(JsonTokenType.Number, null, digits, reader.TryGetInt64(out var number) ? number : null, null, null);
                case JsonTokenType.StartArray:
                    var items = new List<Field>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(Capture(ref reader));
                    }

                    return new Field(JsonTokenType.StartArray, null, false, null, null, items);
                case JsonTokenType.StartObject:
                    reader.Skip();
                    return new Field(JsonTokenType.StartObject, null, false, null, null, null);
                default:
                    return new Field(reader.TokenType, null, false, null, null, null);
            }
        }
    }

    /// <summary>An object of the payload with the members the stages read; <see cref="Kind"/> says what stood there instead.</summary>
    public sealed class Node
    {
        public static readonly Node Missing = new(JsonTokenType.None, []);

        private readonly string[] _names;

        private readonly Field[] _fields;

        private Node(JsonTokenType kind, string[] names)
        {
            Kind = kind;
            _names = names;
            _fields = new Field[names.Length];
        }

        public JsonTokenType Kind { get; }

        public bool Absent => Kind is JsonTokenType.None or JsonTokenType.Null;

        /// <summary>A member read (missing: <see cref="JsonTokenType.None"/>).</summary>
        public Field this[string name] => System.Array.IndexOf(_names, name) is var at and >= 0 ? _fields[at] : default;

        /// <summary>An object member ("owner"), read like this one.</summary>
        public Node Child(string name) => this[name].Object ?? Missing;

        /// <summary>At a property name: reads its value, keeping only the members <paramref name="names"/> lists.</summary>
        internal static Node Capture(ref Utf8JsonReader reader, Names names)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var kind = reader.TokenType;
                reader.Skip();
                return new Node(kind, []);
            }

            var node = new Node(JsonTokenType.StartObject, names.Text);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var at = names.IndexOf(ref reader);
                if (at < 0)
                {
                    reader.Read();
                    reader.Skip();
                }
                else if (names.Text[at] is "owner" or "account")
                {
                    var owner = Capture(ref reader, Names.Owner);
                    node._fields[at] = new Field(owner.Kind, null, false, null, owner, null);
                }
                else
                {
                    reader.Read();
                    node._fields[at] = Field.Capture(ref reader);
                }
            }

            return node;
        }
    }

    /// <summary>The member names one object is read for, as text and as the UTF-8 they are compared in.</summary>
    internal sealed class Names
    {
        public static readonly Names Root = new("action", "repository", "workflow_job", "installation", "sender", "account", "target_type");

        public static readonly Names Repository = new("id", "full_name", "name", "owner", "visibility");

        /// <summary>A repository's owner, and an installation's account.</summary>
        public static readonly Names Owner = new("id", "login", "type");

        public static readonly Names WorkflowJob = new("id", "labels", "html_url", "name", "runner_name", "conclusion", "created_at", "started_at", "completed_at");

        public static readonly Names Installation = new("id", "account", "target_type", "target_id");

        public static readonly Names Sender = new("id");

        private readonly byte[][] _utf8;

        private Names(params string[] text)
        {
            Text = text;
            _utf8 = [.. text.Select(System.Text.Encoding.UTF8.GetBytes)];
        }

        public string[] Text { get; }

        /// <summary>Which of the names the property at the reader is, or -1. Most names are not escaped: compare the bytes.</summary>
        public int IndexOf(ref Utf8JsonReader reader)
        {
            for (var i = 0; i < _utf8.Length; i++)
            {
                if (reader.ValueIsEscaped ? reader.ValueTextEquals(_utf8[i]) : reader.ValueSpan.SequenceEqual(_utf8[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
