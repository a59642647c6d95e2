using Ghfe.Webhook;
using LanguageExt;

namespace Ghfe.Tests.Support;

/// <summary>A pipeline result flattened for snapshots and assertions: what the edge would answer, and the command.</summary>
public sealed record Decision(int Status, string Text, string Kind, string? Target, JobRecord? Job)
{
    public static Decision Of(Either<Rejection, JobCommand> result) => result.Match(
        Right: command => new Decision(200, "(executed against the store)", command.GetType().Name, command.Target.ToSql(), command.Job),
        Left: rejection => new Decision(rejection.Status, rejection.Text, rejection.Kind, null, null));
}
