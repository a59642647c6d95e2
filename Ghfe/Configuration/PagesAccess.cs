namespace Ghfe.Configuration;

/// <summary>Who may read the pages (<see cref="GhfeSettings.PagesAccess"/>).</summary>
public enum PagesAccess
{
    /// <summary>GHFE_PAGES_TOKEN is set: every page needs it.</summary>
    BehindToken,

    /// <summary>Anyone: staging without a token, or production with GHFE_PAGES_PUBLIC=true.</summary>
    Public,

    /// <summary>Production with neither: every page answers 403 naming both settings.</summary>
    Closed,
}
