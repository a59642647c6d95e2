using Ghfe.GitHub;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Pages;

/// <summary>
/// What a page says of a delivery that came through the wrong GitHub App, or an App ghfe does not
/// know: the problem in a line and, for the wrong App, the install page of the right one.
/// </summary>
/// <param name="Fit">The <see cref="AppFit"/>'s wire name: wrong or unknown.</param>
public sealed record AppAdvice(string Fit, string Problem, string? InstallText, string? InstallUrl)
{
    /// <summary>The advice for a delivery; none when its App fits (or none was said).</summary>
    public static AppAdvice? Of(DeliveryEntry entry, AppIds apps) => AppFits.Of(entry.AppId, entry.OwnerType, apps) switch
    {
        AppFit.Wrong => Wrong(entry.AppId == apps.Organization ? GitHubApp.Organization : GitHubApp.Personal),
        AppFit.Unknown => new AppAdvice(
            AppFit.Unknown.Wire(),
            $"unknown App {entry.AppId}: this ghfe serves the organization App ({apps.Organization}) and the personal App ({apps.Personal}); another App's webhook points here, or GHAPP_ORG_ID/GHAPP_PERSONAL_ID are not this deployment's",
            null,
            null),
        _ => null,
    };

    /// <summary>The first advice among a job's deliveries (they all came through one installation).</summary>
    public static AppAdvice? First(IEnumerable<DeliveryLine> deliveries) => deliveries.Select(d => d.App).FirstOrDefault(advice => advice is not null);

    private static AppAdvice Wrong(GitHubApp app) => new(
        AppFit.Wrong.Wire(),
        $"the {app.Name} is installed on {(app.Other.Kind == AppKind.Personal ? "a personal account" : "an organization")}: install the {app.Other.Name}",
        $"Install the {app.Other.Name}",
        app.Other.InstallUrl);
}
