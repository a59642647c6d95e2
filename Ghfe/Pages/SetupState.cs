namespace Ghfe.Pages;

/// <summary>
/// What /setup found, one page each: a closed set. Its wire names (the JSON's <c>state</c>, what
/// the template tells the pages apart by) and its HTTP statuses are <see cref="SetupStates"/>' alone.
/// </summary>
public enum SetupState
{
    /// <summary>The App fits the account it went on.</summary>
    AllSet,

    /// <summary>The App went on the other kind of account.</summary>
    WrongAccount,

    /// <summary>GitHub knows no such installation of this App (most likely the other App was installed).</summary>
    NotFound,

    /// <summary>No installation id to look up.</summary>
    NoInstallation,

    /// <summary>GitHub gave no usable answer.</summary>
    GitHubFailed,

    /// <summary>The App's key is not configured here.</summary>
    NotConfigured,
}

public static class SetupStates
{
    public static string Wire(this SetupState state) => state switch
    {
        SetupState.AllSet => "all_set",
        SetupState.WrongAccount => "wrong_account",
        SetupState.NotFound => "not_found",
        SetupState.NoInstallation => "no_installation",
        SetupState.GitHubFailed => "github_failed",
        SetupState.NotConfigured => "not_configured",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static int Status(this SetupState state) => state switch
    {
        SetupState.AllSet => 200,
        SetupState.WrongAccount or SetupState.NoInstallation => 400,
        SetupState.NotFound => 404,
        SetupState.GitHubFailed => 502,
        SetupState.NotConfigured => 503,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
