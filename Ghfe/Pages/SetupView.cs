using System.Text.Json.Serialization;
using Ghfe.GitHub;
using Ghfe.Routing;

namespace Ghfe.Pages;

/// <summary>A button to an App's install page.</summary>
public sealed record InstallButton(string Text, string Url);

/// <summary>
/// /setup/org and /setup/personal, where GitHub sends whoever installed an App: whether the App
/// fits the account it went on, how to use it, and what to install instead when it does not.
/// Shows only what the installing user knows already (the account's login, the installation id).
/// </summary>
/// <param name="Case">What was found; it names the page and its status.</param>
/// <param name="App">The App this page is for: "organization App" or "personal App".</param>
/// <param name="Login">The account the App went on, when GitHub said.</param>
/// <param name="Problem">What went wrong, in a line, when something did.</param>
/// <param name="Offers">For all_set: how the routing runs the account's jobs; empty when no rule covers it.</param>
public sealed record SetupView(
    string Environment,
    [property: JsonIgnore] SetupState Case,
    string Headline,
    string App,
    string AccountName,
    string? Login,
    long? InstallationId,
    string? Problem,
    IReadOnlyList<InstallButton> Buttons,
    string RunsOn,
    IReadOnlyList<SetupOffer> Offers)
{
    public int Status => Case.Status();

    /// <summary>The wire name of <see cref="Case"/>, which the template tells the pages apart by.</summary>
    public string State => Case.Wire();

    /// <summary>The label GitHub's jobs ask for to run on a RISC-V runner here.</summary>
    public const string Label = "ubuntu-24.04-riscv";

    /// <summary>No installation id to look up (none given, or not a number): both Apps' install pages.</summary>
    public static SetupView NoInstallation(bool prod, GitHubApp app, string problem) => new(
        Layout.EnvironmentOf(prod), SetupState.NoInstallation, "Which installation?", app.Name, app.AccountName, null, null, problem,
        [Button(GitHubApp.Organization), Button(GitHubApp.Personal)], Label, []);

    /// <summary>The App's key is not configured here: the operators' to fix.</summary>
    public static SetupView NotConfigured(bool prod, GitHubApp app, long installationId, string problem) => new(
        Layout.EnvironmentOf(prod), SetupState.NotConfigured, "This check is not available right now", app.Name, app.AccountName, null, installationId, problem, [], Label, []);

    /// <summary>What GitHub said of the installation, for this App.</summary>
    public static SetupView Answered(bool prod, GitHubApp app, long installationId, InstallationAnswer answer, RoutingTable routing)
    {
        var environment = Layout.EnvironmentOf(prod);
        return answer switch
        {
            InstallationAnswer.Found found when found.AccountType == app.AccountType => new(
                environment, SetupState.AllSet, $"All set, {found.Login}!", app.Name, app.AccountName, found.Login, installationId, null, [], Label,
                SetupOffer.For(routing, found.AccountId)),
            InstallationAnswer.Found found => new(
                environment, SetupState.WrongAccount, $"The {app.Name} is installed on {WithArticle(GitHubApp.For(found.AccountType)?.AccountName ?? found.AccountType)}",
                app.Name, app.AccountName, found.Login, installationId, null, [Button(app.Other)], Label, []),
            InstallationAnswer.NotFound => new(
                environment, SetupState.NotFound, $"Installation {installationId} is not the {app.Name}'s", app.Name, app.AccountName, null, installationId, null,
                [Button(app.Other)], Label, []),
            InstallationAnswer.Failed failed => new(
                environment, SetupState.GitHubFailed, "GitHub did not answer the check", app.Name, app.AccountName, null, installationId, failed.Why, [], Label, []),
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, null),
        };
    }

    private static InstallButton Button(GitHubApp app) => new($"Install the {app.Name} (for {WithArticle(app.AccountName)})", app.InstallUrl);

    private static string WithArticle(string noun) => (noun.Length > 0 && "aeiouAEIOU".Contains(noun[0], StringComparison.Ordinal) ? "an " : "a ") + noun;
}
