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
    /// <summary>Objects whose API links go: <c>url</c> and every <c>*_url</c>.</summary>
    private static readonly string[] Linked = ["repository", "sender", "organization"];

    /// <summary>Of <c>workflow_job</c> only these go: its <c>html_url</c>, the job's page, stays.</summary>
    private static readonly string[] JobDropped = ["url", "run_url", "check_run_url", "steps"];

    /// <summary>A <c>workflow_job</c> body (a JSON object) without its API links and steps.</summary>
    public static string Trimmed(ReadOnlyMemory<byte> body)
    {
        var root = JsonNode.Parse(Storable(System.Text.Encoding.UTF8.GetString(body.Span)))!.AsObject();
        foreach (var name in Linked)
        {
            if (root[name] is JsonObject linked)
            {
                DropLinks(linked);
                if (name == "repository" && linked["owner"] is JsonObject owner)
                {
                    DropLinks(owner);
                }
            }
        }

        if (root["workflow_job"] is JsonObject job)
        {
            foreach (var name in JobDropped)
            {
                job.Remove(name);
            }
        }

        return root.ToJsonString();
    }

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
    public static string Whole(ReadOnlyMemory<byte> body) => Storable(System.Text.Encoding.UTF8.GetString(body.Span));

    /// <summary>
    /// JSONB takes no NUL and no unpaired surrogate, which JSON may escape anywhere: every escaped
    /// NUL or surrogate (paired ones too: GitHub writes text as UTF-8, not as escapes) becomes
    /// U+FFFD in the JSON text, so that the row — and the job committed with it — is never refused
    /// for them. An escaped backslash before a <c>u</c> is text, and stays.
    /// </summary>
    public static string Storable(string json) => Unstorable.Replace(json, @"\uFFFD");

    private static readonly System.Text.RegularExpressions.Regex Unstorable =
        new(@"(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string Text(Payload.Node node, string name) =>
        node.Kind == JsonTokenType.StartObject && node[name] is { Kind: JsonTokenType.String, Text: { } text } ? text : string.Empty;

    private static void DropLinks(JsonObject node)
    {
        foreach (var name in node.Select(member => member.Key).Where(key => key == "url" || key.EndsWith("_url", StringComparison.Ordinal)).ToList())
        {
            node.Remove(name);
        }
    }
}
