using System.Globalization;
using System.Text;
using Ghfe.Store;
using Ghfe.Webhook;
using Microsoft.Net.Http.Headers;

namespace Ghfe.Modules;

/// <summary>
/// What ghfe answers GitHub for one delivery, and what the log and metrics say of it. Built by
/// pure functions from the decision's outcome, so each answer is tested with plain values.
/// </summary>
/// <param name="Outcome">What happened to the delivery: the delivery log and the metrics name it.</param>
/// <param name="Action">The action as the command or the rejection knows it; null when neither does.</param>
/// <param name="Why">For an answer that did not store the job in PostgreSQL: the reason, for the log.</param>
/// <param name="Unsigned">Refused before the signature held (<see cref="Rejection.Unsigned"/>).</param>
/// <param name="RetryAfter">Seconds the sender is told to wait (Retry-After), when refused for now.</param>
/// <param name="ClosesConnection">Answered with Connection: close.</param>
/// <param name="Note">For a delivery ignored on purpose (a ban, a repository that is not public): why, for the log line.</param>
public sealed record DeliveryAnswer(
    int Status,
    string Text,
    DeliveryOutcome Outcome,
    string? Action = null,
    long? Job = null,
    string? Why = null,
    bool Unsigned = false,
    int? RetryAfter = null,
    bool ClosesConnection = false,
    string? Note = null)
{
    public static readonly DeliveryAnswer Pong = new(200, "pong", DeliveryOutcome.Ping);

    public static DeliveryAnswer Refused(Rejection rejection) => new(
        rejection.Status,
        rejection.Text,
        rejection.Outcome,
        rejection is Rejection.IgnoredAction ignored ? ignored.Action : null,
        rejection is Rejection.NoMatchingRule miss ? miss.JobId : null,
        Unsigned: rejection.Unsigned,
        RetryAfter: rejection.RetryAfter,
        ClosesConnection: rejection.ClosesConnection,
        Note: rejection is Rejection.NotAdmitted refused ? refused.Refusal.Why : null);

    /// <summary>An installation event: logged (the control-plane generation keeps its row), answered as the control plane does.</summary>
    public static DeliveryAnswer InstallationLogged(DeliveryCommand.LogInstallation installation) =>
        new(200, $"{installation.Event} logged", DeliveryOutcome.InstallationLogged);

    /// <summary>A job command carried out, spooled, or neither (README, "What it answers").</summary>
    public static DeliveryAnswer Executed(JobCommand command, Durability durability)
    {
        var id = command.Job.JobId;
        return durability switch
        {
            Durability.Stored { Outcome: var found } => new(200, found.TextFor(command), found.Outcome, command.Action, id),
            Durability.Spooled spooled => new(202, $"Job {id} accepted (spooled).", DeliveryOutcome.Spooled, command.Action, id, spooled.Why),
            Durability.Unavailable unavailable => new(
                503, $"Job {id} not stored: {unavailable.Why}. Redeliver it from GitHub.", DeliveryOutcome.Unavailable, command.Action, id, unavailable.Why),
            _ => throw new ArgumentOutOfRangeException(nameof(durability), durability, null),
        };
    }

    /// <summary>PostgreSQL refused this delivery's data (<see cref="DatabaseProblem.IsData"/>): the sender's to fix, so a 4xx.</summary>
    public static DeliveryAnswer Unstorable(JobCommand command, string problem) => new(
        422, $"Job {command.Job.JobId} not stored: PostgreSQL cannot hold this delivery's data ({problem}).", DeliveryOutcome.Unstorable, command.Action, command.Job.JobId, problem);

    /// <summary>Not transient: a broken deployment (permissions, schema, credentials). Never spooled.</summary>
    public static DeliveryAnswer DatabaseError(JobCommand command, string sqlState) => new(
        500, $"Job {command.Job.JobId} not stored: database error ({sqlState}). Redeliver it from GitHub once fixed.", DeliveryOutcome.DatabaseError, command.Action, command.Job.JobId, sqlState);

    /// <summary>Staging's own answer, relayed, or the 502 that says why there is none.</summary>
    public static DeliveryAnswer Forwarded(int status, string text, DeliveryOutcome outcome) => new(status, text, outcome);

    /// <summary>The answer, its headers set on <paramref name="response"/>.</summary>
    public IResult ToResult(HttpResponse response)
    {
        if (RetryAfter is { } seconds)
        {
            response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (ClosesConnection)
        {
            // No reason to make Kestrel keep the connection for a body nobody will look at.
            response.Headers[HeaderNames.Connection] = "close";
        }

        return Results.Text(Text, "text/plain", Encoding.UTF8, Status);
    }
}
