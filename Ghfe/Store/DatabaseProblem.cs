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
}
