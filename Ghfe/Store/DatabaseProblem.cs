using Npgsql;

namespace Ghfe.Store;

/// <summary>Why the database did not do what was asked, in one line for people: never a type name or a stack trace.</summary>
public static class DatabaseProblem
{
    /// <summary>The SQLSTATE and PostgreSQL's message; or the cause beneath Npgsql's wrapper ("Connection refused"); or a deadline passed.</summary>
    public static string Describe(Exception e) =>
        (e switch
        {
            PostgresException postgres => $"{postgres.SqlState} {postgres.MessageText}",
            OperationCanceledException => "no answer before the deadline",
            _ => e.InnerException?.Message ?? e.Message,
        }).ReplaceLineEndings(" ");

    /// <summary>
    /// PostgreSQL refused this one command's data (SQLSTATE class 22, data exception, or 54, a
    /// program limit such as an index row too large): not the deployment, not the weather, and
    /// no retry or replay will ever take it.
    /// </summary>
    public static bool IsData(Exception e) =>
        e is PostgresException { SqlState: var state } && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("54", StringComparison.Ordinal));
}
