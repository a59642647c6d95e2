using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 3: the action, as the status it asks for. Other actions (waiting, …) are ignored.</summary>
public static class JobAction
{
    public static Either<Rejection, JobStatus> Parse(JsonElement root) =>
        JsonFields.String(root, "action", "action").Bind(action => action switch
        {
            "queued" => Right<Rejection, JobStatus>(JobStatus.Pending),
            "in_progress" => Right<Rejection, JobStatus>(JobStatus.Running),
            "completed" => Right<Rejection, JobStatus>(JobStatus.Completed),
            _ => Left<Rejection, JobStatus>(new Rejection.IgnoredAction(action)),
        });
}
