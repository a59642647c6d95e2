using System.Text;
using Ghfe.Store;
using Ghfe.Webhook;

namespace Ghfe.Modules;

/// <summary>
/// What ghfe answers GitHub for one delivery, and what the log and metrics say of it. Built by
/// pure functions from the decision's outcome, so each answer is tested with plain values.
/// </summary>
/// <param name="Outcome">A short stable name for the delivery log and the metrics.</param>
/// <param name="Action">The action as the command or the rejection knows it; null when neither does.</param>
/// <param name="Why">For an answer that did not store the job in PostgreSQL: the reason, for the log.</param>
/// <param name="Unsigned">Refused before the signature held (<see cref="Rejection.Unsigned"/>).</param>
public sealed record DeliveryAnswer(int Status, string Text, string Outcome, string? Action = null, long? Job = null, string? Why = null, bool Unsigned = false)
{
    public static DeliveryAnswer Refused(Rejection rejection) => new(
        rejection.Status,
        rejection.Text,
        rejection.Kind,
        rejection is Rejection.IgnoredAction ignored ? ignored.Action : null,
        rejection is Rejection.NoMatchingRule miss ? miss.JobId : null,
        Unsigned: rejection.Unsigned);

    /// <summary>A job command carried out, spooled, or neither (README, "What it answers").</summary>
    public static DeliveryAnswer Executed(JobCommand command, Durability durability)
    {
        var id = command.Job.JobId;
        return durability switch
        {
            Durability.Stored stored => new(200, stored.Outcome.TextFor(command), stored.Outcome.Kind, command.Action, id),
            Durability.Spooled spooled => new(202, $"Job {id} accepted (spooled).", "spooled", command.Action, id, spooled.Why),
            Durability.Unavailable unavailable => new(
                503, $"Job {id} not stored: {unavailable.Why}. Redeliver it from GitHub.", "unavailable", command.Action, id, unavailable.Why),
            _ => throw new ArgumentOutOfRangeException(nameof(durability), durability, null),
        };
    }

    /// <summary>PostgreSQL refused this delivery's data (<see cref="DatabaseProblem.IsData"/>): the sender's to fix, so a 4xx.</summary>
    public static DeliveryAnswer Unstorable(JobCommand command, string problem) => new(
        422, $"Job {command.Job.JobId} not stored: PostgreSQL cannot hold this delivery's data ({problem}).", "unstorable", command.Action, command.Job.JobId, problem);

    /// <summary>Not transient: a broken deployment (permissions, schema, credentials). Never spooled.</summary>
    public static DeliveryAnswer DatabaseError(JobCommand command, string sqlState) => new(
        500, $"Job {command.Job.JobId} not stored: database error ({sqlState}). Redeliver it from GitHub once fixed.", "database_error", command.Action, command.Job.JobId, sqlState);

    /// <summary>Staging's own answer, relayed, or the 502 that says why there is none.</summary>
    public static DeliveryAnswer Forwarded(int status, string text, string outcome) => new(status, text, outcome);

    public IResult ToResult() => Results.Text(Text, "text/plain", Encoding.UTF8, Status);
}
