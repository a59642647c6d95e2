using LanguageExt;

namespace Ghfe.Hosting;

/// <summary>A configuration problem that stops start-up; its message is the one line printed.</summary>
public sealed class StartupException(string message) : Exception(message)
{
    /// <summary>The value, or start-up stops with the problem as its one line.</summary>
    public static T OrStop<T>(Either<string, T> setting) =>
        setting.Match(Right: value => value, Left: problem => throw new StartupException(problem));
}
