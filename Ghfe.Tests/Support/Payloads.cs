using System.Text;
using System.Text.Json.Nodes;

namespace Ghfe.Tests.Support;

/// <summary>The real GitHub payloads under Fixtures/github, and edited copies of them.</summary>
public static class Payloads
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "github");

    public static IEnumerable<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    /// <summary>The event GitHub sends each fixture with, from the fixtures' README table.</summary>
    public static string EventOf(string name) => name switch
    {
        _ when name.StartsWith("ping", StringComparison.Ordinal) => "ping",
        _ when name.StartsWith("workflow_run", StringComparison.Ordinal) => "workflow_run",
        _ when name.StartsWith("check_run", StringComparison.Ordinal) => "check_run",
        _ => "workflow_job",
    };

    /// <summary>A fixture parsed for editing; <see cref="Serialize"/> turns it back into bytes.</summary>
    public static JsonObject Edit(string name) => JsonNode.Parse(Bytes(name))!.AsObject();

    /// <summary>The Octokit queued example, with labels, owner and repository set as asked.</summary>
    public static JsonObject Queued(string[]? labels = null, long owner = 21003710, string ownerLogin = "pytorch", string type = "Organization", string repository = "pytorch/pytorch")
    {
        var payload = Edit("workflow_job.queued.json");
        payload["workflow_job"]!["labels"] = new JsonArray((labels ?? ["ubuntu-24.04-riscv"]).Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
        var repo = payload["repository"]!;
        repo["full_name"] = repository;
        repo["name"] = repository.Split('/')[1];
        repo["owner"]!["id"] = owner;
        repo["owner"]!["login"] = ownerLogin;
        repo["owner"]!["type"] = type;
        return payload;
    }

    public static byte[] Serialize(JsonNode payload) => Encoding.UTF8.GetBytes(payload.ToJsonString());
}
