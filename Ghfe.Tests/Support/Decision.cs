using Ghfe.Modules;
using Ghfe.Webhook;

namespace Ghfe.Tests.Support;

/// <summary>A pipeline result flattened for snapshots and assertions: what the edge would answer, and the command.</summary>
public sealed record Decision(int Status, string Text, string Kind, string? Target, JobRecord? Job)
{
    public static Decision Of(Decided decided) => decided.Decision.Match(
        Right: command => command switch
        {
            DeliveryCommand.Store store => new Decision(200, "(executed against the store)", store.Command.GetType().Name, store.Command.Target.ToSql(), store.Command.Job),
            DeliveryCommand.Forward forward => new Decision(200, "(forwarded to staging)", "Forward", forward.Staging.ToString(), null),
            DeliveryCommand.Pong => new Decision(DeliveryAnswer.Pong.Status, DeliveryAnswer.Pong.Text, DeliveryAnswer.Pong.Outcome.Wire(), null, null),
            DeliveryCommand.LogInstallation installation => From(DeliveryAnswer.InstallationLogged(installation)),
            _ => throw new ArgumentOutOfRangeException(nameof(decided), command, null),
        },
        Left: rejection => new Decision(rejection.Status, rejection.Text, rejection.Outcome.Wire(), null, null));

    private static Decision From(DeliveryAnswer answer) => new(answer.Status, answer.Text, answer.Outcome.Wire(), null, null);
}
