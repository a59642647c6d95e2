using System.Text.Json;
using Ghfe.Redelivery;

namespace Ghfe.GitHub;

/// <summary>What GitHub said of <c>GET /app/installations/{id}</c>, asked as one App.</summary>
public abstract record InstallationAnswer
{
    private InstallationAnswer() { }

    /// <summary>The installation is this App's, on this account (GitHub's <c>account.type</c>: Organization or User).</summary>
    public sealed record Found(long AccountId, string Login, string AccountType) : InstallationAnswer;

    /// <summary>No installation with this id for this App: 404.</summary>
    public sealed record NotFound : InstallationAnswer;

    /// <summary>GitHub could not be asked, or its answer cannot be used: what happened, in one line.</summary>
    public sealed record Failed(string Why) : InstallationAnswer;

    /// <summary>An answer GitHub gave, by its status and body. Pure; never throws.</summary>
    public static InstallationAnswer Of(int status, byte[] body) => status switch
    {
        404 => new NotFound(),
        >= 200 and < 300 => (InstallationAnswer?)Account(body) ?? new Failed($"GitHub answered {status} with no account in it (account.id, account.login, account.type)"),
        _ => new Failed($"GitHub answered {status}: {DeliveryList.MessageOf(System.Text.Encoding.UTF8.GetString(body))}"),
    };

    private static Found? Account(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("account", out var account) && account.ValueKind == JsonValueKind.Object
                && account.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var accountId)
                && account.TryGetProperty("login", out var login) && login.ValueKind == JsonValueKind.String
                && account.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                    ? new Found(accountId, ApiText.OneLine(login.GetString()!), ApiText.OneLine(type.GetString()!))
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
