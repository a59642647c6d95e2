namespace Ghfe.Webhook;

/// <summary>The outcome an <c>installation_events</c> row names, in the control plane's vocabulary.</summary>
public static class ControlPlaneOutcome
{
    public const string Ok = "ok";
    public const string JobStored = "job_stored";
    public const string JobAlreadyExists = "job_already_exists";
    public const string JobMarkedRunning = "job_marked_running";
    public const string JobMarkedCompleted = "job_marked_completed";
    public const string JobNotFound = "job_not_found";
    public const string IgnoredAction = "ignored_action";
    public const string IgnoredNoLabel = "ignored_no_label";
    public const string IgnoredEvent = "ignored_event";
    public const string BannedEntity = "banned_entity";
    public const string ProxiedToStaging = "proxied_to_staging";

    /// <summary>
    /// The row's outcome for a delivery's; none when the delivery writes no row: refused before its
    /// body could be trusted or read, or not written at all (a spooled command's row is written when
    /// it is replayed, with the outcome the replay finds). <paramref name="target"/>: the status a job
    /// command asked for, which tells a move to running from one to completed. A job found at or past
    /// the target is "marked" as the control plane says it; one never seen, which ghfe records in
    /// that state, is "not found" as there. Every outcome is named here: a new one does not compile
    /// until it is mapped.
    /// </summary>
    public static string? Of(DeliveryOutcome outcome, JobStatus? target = null)
    {
#pragma warning disable CS8524 // Every named outcome is listed; an unnamed value is no outcome ghfe gives.
        return outcome switch
        {
            DeliveryOutcome.TooLarge or DeliveryOutcome.NoRoomForBody or DeliveryOutcome.IncompleteBody or DeliveryOutcome.MissingHeader
                or DeliveryOutcome.InvalidSignature or DeliveryOutcome.InvalidPayload or DeliveryOutcome.UnsupportedOwnerType => null,
            DeliveryOutcome.IgnoredEvent => IgnoredEvent,
            DeliveryOutcome.IgnoredAction => IgnoredAction,
            DeliveryOutcome.NoMatchingRule => IgnoredNoLabel,
            DeliveryOutcome.Banned or DeliveryOutcome.NotPublic => BannedEntity,
            DeliveryOutcome.InstallationLogged => Ok,
            DeliveryOutcome.Ping => Ok,
            DeliveryOutcome.Stored => JobStored,
            DeliveryOutcome.AlreadyExists => JobAlreadyExists,
            DeliveryOutcome.Advanced or DeliveryOutcome.Unchanged => target == JobStatus.Running ? JobMarkedRunning : JobMarkedCompleted,
            DeliveryOutcome.RecordedUnseen => JobNotFound,
            DeliveryOutcome.Spooled or DeliveryOutcome.Unavailable or DeliveryOutcome.Unstorable or DeliveryOutcome.DatabaseError => null,
            DeliveryOutcome.Forwarded2xx or DeliveryOutcome.Forwarded4xx or DeliveryOutcome.ForwardRedirect or DeliveryOutcome.Forward5xx
                or DeliveryOutcome.ForwardTimeout or DeliveryOutcome.ForwardFailed => ProxiedToStaging,
            DeliveryOutcome.Unknown => null,
        };
#pragma warning restore CS8524
    }
}
