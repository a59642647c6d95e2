namespace Ghfe.Webhook;

/// <summary>
/// Whether the GitHub App a delivery came through fits the account the job belongs to: the
/// organization App on organizations, the personal App on personal accounts. A job the wrong App
/// delivered is stored as any other (the scheduler decides), but it waits forever, as no runner
/// gets a token for it: the pages say so, and <c>ghfe_deliveries_total{github_app}</c> counts it.
/// Its wire names are <see cref="AppFits.Wire"/>'s alone.
/// </summary>
public enum AppFit
{
    /// <summary>No App id came with the delivery (a repository or organization hook, or a request refused before its signature held).</summary>
    NoApp,

    /// <summary>One of the configured Apps, on an account it fits (or a delivery of no account, a ping).</summary>
    Right,

    /// <summary>The organization App on a personal account, or the personal App on an organization.</summary>
    Wrong,

    /// <summary>An App id that is neither configured App's: an endpoint set up for some other App.</summary>
    Unknown,
}

/// <summary>The ids of the two Apps ghfe serves (GHAPP_ORG_ID, GHAPP_PERSONAL_ID).</summary>
public sealed record AppIds(long Organization, long Personal);

/// <summary>How a delivery's App is read and judged, and the one place <see cref="AppFit"/>'s wire names are written.</summary>
public static class AppFits
{
    /// <summary>What GitHub's hook is installed on: "integration" for a GitHub App's.</summary>
    public const string TargetTypeHeader = "X-GitHub-Hook-Installation-Target-Type";

    /// <summary>The stable name: the metric's label values and what the JSON pages say.</summary>
    public static string Wire(this AppFit fit) => fit switch
    {
        AppFit.Right => "right",
        AppFit.Wrong => "wrong",
        AppFit.Unknown => "unknown",
        _ => "-",
    };

    public static readonly IReadOnlyList<AppFit> All = Enum.GetValues<AppFit>();

    /// <summary>The App id the headers give: for an App's hook (target type "integration", or none said), a positive id; else none.</summary>
    public static long? AppIdOf(string? targetType, string? targetId) =>
        (string.IsNullOrEmpty(targetType) || targetType == "integration") && Headers.Number(targetId) is > 0 and var id
            ? id
            : null;

    /// <summary>Judges the App a delivery came through against the account type its payload names (Organization, User, or none).</summary>
    public static AppFit Of(long? appId, string? ownerType, AppIds apps) => appId switch
    {
        null => AppFit.NoApp,
        var id when id == apps.Organization => ownerType == Entity.User ? AppFit.Wrong : AppFit.Right,
        var id when id == apps.Personal => ownerType == Entity.Organization ? AppFit.Wrong : AppFit.Right,
        _ => AppFit.Unknown,
    };
}
