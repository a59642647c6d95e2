using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ghfe.Webhook;

/// <summary>
/// What an <c>installation_events</c> row keeps of a delivery's body, as the control plane keeps
/// it: a job's delivery without GitHub's API links and steps; a job ghfe takes no further (no
/// rule, a ban) only what names it, for those are the most numerous rows; any other event whole.
/// </summary>
public static class EventPayload
{
    /// <summary>
    /// A <c>workflow_job</c> body (a JSON object) without its API links and steps. Copied from the
    /// bytes as sent, member by member, so what stays keeps its exact text: one pass over the body,
    /// with no tree built (this runs for every job delivery in the control-plane generation).
    /// </summary>
    public static string Trimmed(ReadOnlyMemory<byte> body)
    {
        var json = body.Span;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Whole(body);
        }

        var output = new ArrayBufferWriter<byte>(json.Length);
        CopyObject(ref reader, json, output, Trim.Root);
        return Storable(Encoding.UTF8.GetString(output.WrittenSpan));
    }

    /// <summary>Which members of an object go, and how its objects are trimmed in turn.</summary>
    private enum Trim
    {
        Root,
        Links,
        Repository,
        Job,
    }

    /// <param name="reader">At the object's start; left at its end.</param>
    private static void CopyObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ArrayBufferWriter<byte> output, Trim trim)
    {
        output.Write("{"u8);
        var first = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var dropped = Dropped(ref reader, trim);
            var inner = Inner(ref reader, trim);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            if (dropped)
            {
                reader.Skip();
                continue;
            }

            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            output.Write(json[nameStart..valueStart]);
            if (inner is { } innerTrim && reader.TokenType == JsonTokenType.StartObject)
            {
                CopyObject(ref reader, json, output, innerTrim);
            }
            else
            {
                reader.Skip();
                output.Write(json[valueStart..(int)reader.BytesConsumed]);
            }
        }

        output.Write("}"u8);
    }

    private static bool Dropped(ref Utf8JsonReader name, Trim trim) => trim switch
    {
        Trim.Links or Trim.Repository => name.ValueTextEquals("url"u8) || EndsWithUrl(ref name),
        Trim.Job => name.ValueTextEquals("url"u8) || name.ValueTextEquals("run_url"u8) || name.ValueTextEquals("check_run_url"u8) || name.ValueTextEquals("steps"u8),
        _ => false,
    };

    private static Trim? Inner(ref Utf8JsonReader name, Trim trim) => trim switch
    {
        Trim.Root when name.ValueTextEquals("repository"u8) => Trim.Repository,
        Trim.Root when name.ValueTextEquals("sender"u8) || name.ValueTextEquals("organization"u8) => Trim.Links,
        Trim.Root when name.ValueTextEquals("workflow_job"u8) => Trim.Job,
        Trim.Repository when name.ValueTextEquals("owner"u8) => Trim.Links,
        _ => null,
    };

    private static bool EndsWithUrl(ref Utf8JsonReader name) =>
        name.ValueIsEscaped ? name.GetString()!.EndsWith("_url", StringComparison.Ordinal) : name.ValueSpan.EndsWith("_url"u8);

    /// <summary>Only what names the job: its labels (the strings sent), its page and its repository.</summary>
    public static string Minimal(Payload payload)
    {
        var job = payload.WorkflowJob;
        var labels = new JsonArray();
        foreach (var item in job.Kind == JsonTokenType.StartObject ? job["labels"].Items ?? [] : [])
        {
            if (item.Kind == JsonTokenType.String && item.Text is { } label)
            {
                labels.Add(label);
            }
        }

        return Storable(new JsonObject
        {
            ["workflow_job"] = new JsonObject { ["labels"] = labels, ["html_url"] = Text(job, "html_url") },
            ["repository"] = new JsonObject { ["full_name"] = Text(payload.Repository, "full_name") },
        }.ToJsonString());
    }

    /// <summary>The body as sent, when it is a JSON object: JSONB keeps it as it keeps any.</summary>
    public static string Whole(ReadOnlyMemory<byte> body) => Storable(Encoding.UTF8.GetString(body.Span));

    /// <summary>
    /// JSONB takes no NUL and no unpaired surrogate, which JSON may escape anywhere: every escaped
    /// NUL or surrogate (paired ones too: GitHub writes text as UTF-8, not as escapes) becomes
    /// U+FFFD in the JSON text, so that the row — and the job committed with it — is never refused
    /// for them. An escaped backslash before a <c>u</c> is text, and stays.
    /// </summary>
    public static string Storable(string json) => json.Contains(@"\u", StringComparison.Ordinal) ? Unstorable.Replace(json, @"\uFFFD") : json;

    private static readonly System.Text.RegularExpressions.Regex Unstorable =
        new(@"(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string Text(Payload.Node node, string name) =>
        node.Kind == JsonTokenType.StartObject && node[name] is { Kind: JsonTokenType.String, Text: { } text } ? text : string.Empty;
}
