using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>The App installation the delivery came through (<c>installation.id</c>).</summary>
public static class Installation
{
    /// <summary>Required on queued; a later event for a job never seen may lack it, and stores 0.</summary>
    public static Either<Rejection, long> Id(Payload payload, JobStatus target) =>
        target == JobStatus.Pending
            ? JsonFields.Object(payload.Installation, "installation").Bind(IdOf)
            : JsonFields.OptionalObject(payload.Installation, "installation").Bind(installation =>
                installation.Absent ? Right<Rejection, long>(0) : IdOf(installation));

    private static Either<Rejection, long> IdOf(Payload.Node installation) => JsonFields.Id(installation["id"], "installation.id");
}
