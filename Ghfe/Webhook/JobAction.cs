using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 3: the action, as the status it asks for. Other actions (waiting, …) are ignored.</summary>
public static class JobAction
{
    public static Either<Rejection, JobStatus> Read(Payload payload) =>
        JsonFields.String(payload.Action, "action").Bind(Target);

    /// <summary>The status an action asks for; the others are ignored.</summary>
    public static Either<Rejection, JobStatus> Target(string action) => action switch
    {
        "queued" => Right<Rejection, JobStatus>(JobStatus.Pending),
        "in_progress" => Right<Rejection, JobStatus>(JobStatus.Running),
        "completed" => Right<Rejection, JobStatus>(JobStatus.Completed),
        _ => new Rejection.IgnoredAction(action),
    };
}
