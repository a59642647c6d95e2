using System.Text.Json.Nodes;

namespace Ghfe.Tests.Support;

/// <summary>
/// installation, installation_repositories and installation_target deliveries in GitHub's shape
/// (docs.github.com, "Webhook events and payloads"), trimmed to what matters here.
/// </summary>
public static class InstallationPayloads
{
    private static JsonObject Account(long id, string login, string type) =>
        new() { ["login"] = login, ["id"] = id, ["type"] = type, ["url"] = $"https://api.github.com/users/{login}" };

    private static JsonObject Sender() => new() { ["login"] = "octocat", ["id"] = 583231, ["type"] = "User" };

    /// <summary>installation.created (or another action) for an account; installation_repositories when <paramref name="repositories"/>.</summary>
    public static byte[] Installation(string action, long installationId, long accountId, string login, string type = "Organization", bool repositories = false)
    {
        var payload = new JsonObject
        {
            ["action"] = action,
            ["installation"] = new JsonObject
            {
                ["id"] = installationId,
                ["account"] = Account(accountId, login, type),
                ["app_id"] = 2167633,
                ["target_id"] = accountId,
                ["target_type"] = type,
                ["repository_selection"] = "selected",
            },
            ["sender"] = Sender(),
        };
        if (repositories)
        {
            payload["repositories_added"] = new JsonArray(new JsonObject { ["id"] = 1296269, ["full_name"] = $"{login}/hello-world", ["private"] = false });
            payload["repositories_removed"] = new JsonArray();
        }
        else
        {
            payload["repositories"] = new JsonArray(new JsonObject { ["id"] = 1296269, ["full_name"] = $"{login}/hello-world", ["private"] = false });
        }

        return Payloads.Serialize(payload);
    }

    /// <summary>installation_target.renamed: the renamed account stands at the top level.</summary>
    public static byte[] Target(long installationId, long accountId, string login, string type = "Organization") =>
        Payloads.Serialize(new JsonObject
        {
            ["action"] = "renamed",
            ["account"] = Account(accountId, login, type),
            ["changes"] = new JsonObject { ["login"] = new JsonObject { ["from"] = login + "-old" } },
            ["installation"] = new JsonObject { ["id"] = installationId, ["node_id"] = "MDIz" },
            ["target_type"] = type,
            ["sender"] = Sender(),
        });
}
