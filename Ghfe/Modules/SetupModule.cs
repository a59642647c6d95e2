using Carter;
using Ghfe.Configuration;
using Ghfe.GitHub;
using Ghfe.Pages;

namespace Ghfe.Modules;

/// <summary>
/// <c>/setup/org</c> and <c>/setup/personal</c>: where GitHub sends whoever installed the
/// organization or the personal App, with <c>?installation_id=N</c>. Asks GitHub, as that App,
/// whose the installation is (<see cref="InstallationLookup"/>), and says whether it fits. Public:
/// the page shows only what the installing user knows already.
/// </summary>
public sealed class SetupModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var pages = app.MapPublicPages();
        foreach (var (path, setupApp) in new[] { ("/setup/org", GitHubApp.Organization), ("/setup/personal", GitHubApp.Personal) })
        {
            pages.MapGet(path, (HttpContext http, GhfeSettings settings, GitHubSettings github, InstallationLookup lookup, LiveRouting routing, PageRenderer renderer, TimeProvider clock) =>
                SetupAsync(setupApp, path, http, settings, github, lookup, routing, renderer, clock));
            pages.MapGet(path + ".json", (HttpContext http, GhfeSettings settings, GitHubSettings github, InstallationLookup lookup, LiveRouting routing, PageRenderer renderer, TimeProvider clock) =>
                SetupAsync(setupApp, path, http, settings, github, lookup, routing, renderer, clock));
        }
    }

    private static async Task<IResult> SetupAsync(
        GitHubApp app,
        string path,
        HttpContext http,
        GhfeSettings settings,
        GitHubSettings github,
        InstallationLookup lookup,
        LiveRouting routing,
        PageRenderer pages,
        TimeProvider clock)
    {
        var view = await SetupQuery.Parse(PageResults.Parameters(http.Request)).MatchAsync(
            RightAsync: async installationId => await github.For(app.Kind).Jwt.MatchAsync(
                RightAsync: async _ => SetupView.Answered(
                    settings.Prod, app, installationId, await lookup.LookUpAsync(app.Kind, installationId, http.RequestAborted), routing.Current.Config.Routing),
                Left: problem => SetupView.NotConfigured(settings.Prod, app, installationId, problem)),
            Left: problem => SetupView.NoInstallation(settings.Prod, app, problem));
        return PageResults.Negotiate(http.Request, pages, "setup", view,
            PageLayouts.Setup(view, clock.GetUtcNow(), PageAccess.QueryToken(http.Request), PageResults.JsonTwin(path + ".json", http.Request)), view.Status);
    }
}
