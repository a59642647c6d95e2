namespace Ghfe.GitHub;

/// <summary>Which of the two GitHub Apps: one for organizations, one for personal accounts.</summary>
public enum AppKind
{
    Organization,
    Personal,
}

/// <summary>
/// One of the GitHub Apps ghfe serves: the settings that hold its key and id, production's id,
/// the account type it is meant for (as GitHub's <c>account.type</c> says it) and its install page.
/// </summary>
/// <param name="Name">How the pages say it: "the organization App".</param>
/// <param name="AccountType">GitHub's <c>account.type</c> the App is meant for: Organization or User.</param>
/// <param name="AccountName">The account type in words: "organization", "personal account".</param>
public sealed record GitHubApp(AppKind Kind, string Name, string KeyVariable, string IdVariable, long DefaultId, string AccountType, string AccountName, string InstallUrl)
{
    public static readonly GitHubApp Organization = new(
        AppKind.Organization, "organization App", "GHAPP_ORG_PRIVATE_KEY", "GHAPP_ORG_ID", 2167633,
        "Organization", "organization", "https://github.com/apps/rise-risc-v-runners/installations/new");

    public static readonly GitHubApp Personal = new(
        AppKind.Personal, "personal App", "GHAPP_PERSONAL_PRIVATE_KEY", "GHAPP_PERSONAL_ID", 3131217,
        "User", "personal account", "https://github.com/apps/rise-risc-v-runners-personal/installations/new");

    public static readonly IReadOnlyList<GitHubApp> Both = [Organization, Personal];

    /// <summary>The App meant for the other account type.</summary>
    public GitHubApp Other => Kind == AppKind.Organization ? Personal : Organization;

    /// <summary>The App meant for an account of this type (GitHub's Organization or User); none for another.</summary>
    public static GitHubApp? For(string? accountType) =>
        accountType == Organization.AccountType ? Organization : accountType == Personal.AccountType ? Personal : null;
}
