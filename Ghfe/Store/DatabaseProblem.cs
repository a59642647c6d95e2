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
            NpgsqlException { InnerException: AggregateException hosts } => string.Join("; ", hosts.InnerExceptions.Select(Describe)),
            _ => e.InnerException?.Message ?? e.Message,
        }).ReplaceLineEndings(" ");

    /// <summary>
    /// PostgreSQL refused this one command's data: a program limit (class 54, such as an index row
    /// too large), a value too long or out of range (22001, 22003), or text it cannot store
    /// (22021, 22P05). No retry or replay will ever take it. Other data exceptions stay errors of
    /// the deployment: 22P02 is also what a schema whose enum lacks a value answers.
    /// </summary>
    public static bool IsData(Exception e) =>
        e is PostgresException { SqlState: var state } && (state.StartsWith("54", StringComparison.Ordinal) || DataStates.Contains(state));

    private static readonly string[] DataStates = ["22001", "22003", "22021", "22P05"];
}
