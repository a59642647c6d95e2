namespace Ghfe.Webhook;

/// <summary>
/// What happened to one delivery: a closed set, carried from the decision through the executor to
/// the recorder; the metrics, the delivery log and the pages match on it. Its wire names (metric
/// labels, the delivery log's <c>outcome</c> column, what the pages show) are
/// <see cref="DeliveryOutcomes.Wire"/>'s alone. Whether the GitHub App a delivery came through fits
/// its account is not an outcome but a dimension beside it (a stored job is stored whichever App
/// sent it): <see cref="AppFit"/>, whose wire names are <see cref="AppFits.Wire"/>'s alone.
/// </summary>
public enum DeliveryOutcome
{
    // Refused: each Rejection names its own (Rejection.Outcome).
    TooLarge,
    NoRoomForBody,
    IncompleteBody,
    MissingHeader,
    InvalidSignature,
    IgnoredEvent,
    InvalidPayload,
    IgnoredAction,
    UnsupportedOwnerType,
    NoMatchingRule,

    /// <summary>The owner or the sender is banned by the routing file: ignored before staging and routing.</summary>
    Banned,

    /// <summary>The repository is not public, and the routing file serves only public ones.</summary>
    NotPublic,

    /// <summary>A verified ping, answered pong.</summary>
    Ping,

    /// <summary>An installation, installation_repositories or installation_target event, logged.</summary>
    InstallationLogged,

    // A job command carried out (JobOutcome.Outcome).
    Stored,
    AlreadyExists,
    Advanced,
    Unchanged,
    RecordedUnseen,

    // A job command not carried out in PostgreSQL now.
    Spooled,
    Unavailable,
    Unstorable,
    DatabaseError,

    // Handed to staging: its answer relayed by status class, or a 502 that says why there is none.
    Forwarded2xx,
    Forwarded4xx,
    ForwardRedirect,
    Forward5xx,
    ForwardTimeout,
    ForwardFailed,

    /// <summary>Read back only: a delivery-log row whose outcome this version does not name. Never answered.</summary>
    Unknown,
}

/// <summary>The wire names of <see cref="DeliveryOutcome"/>: the one place they are written, and read back.</summary>
public static class DeliveryOutcomes
{
    /// <summary>The stable name: existing rows, alerts and dashboards read these exact strings.</summary>
    public static string Wire(this DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.TooLarge => "too_large",
        DeliveryOutcome.NoRoomForBody => "no_room_for_body",
        DeliveryOutcome.IncompleteBody => "incomplete_body",
        DeliveryOutcome.MissingHeader => "missing_header",
        DeliveryOutcome.InvalidSignature => "invalid_signature",
        DeliveryOutcome.IgnoredEvent => "ignored_event",
        DeliveryOutcome.InvalidPayload => "invalid_payload",
        DeliveryOutcome.IgnoredAction => "ignored_action",
        DeliveryOutcome.UnsupportedOwnerType => "unsupported_owner_type",
        DeliveryOutcome.NoMatchingRule => "no_matching_rule",
        DeliveryOutcome.Banned => "banned_entity",
        DeliveryOutcome.NotPublic => "not_public",
        DeliveryOutcome.Ping => "ping",
        DeliveryOutcome.InstallationLogged => "installation_logged",
        DeliveryOutcome.Stored => "stored",
        DeliveryOutcome.AlreadyExists => "already_exists",
        DeliveryOutcome.Advanced => "advanced",
        DeliveryOutcome.Unchanged => "unchanged",
        DeliveryOutcome.RecordedUnseen => "recorded_unseen",
        DeliveryOutcome.Spooled => "spooled",
        DeliveryOutcome.Unavailable => "unavailable",
        DeliveryOutcome.Unstorable => "unstorable",
        DeliveryOutcome.DatabaseError => "database_error",
        DeliveryOutcome.Forwarded2xx => "forwarded_2xx",
        DeliveryOutcome.Forwarded4xx => "forwarded_4xx",
        DeliveryOutcome.ForwardRedirect => "forward_redirect",
        DeliveryOutcome.Forward5xx => "forward_5xx",
        DeliveryOutcome.ForwardTimeout => "forward_timeout",
        DeliveryOutcome.ForwardFailed => "forward_failed",
        _ => "unknown",
    };

    /// <summary>Every outcome a delivery can have (<see cref="DeliveryOutcome.Unknown"/> aside).</summary>
    public static readonly IReadOnlyList<DeliveryOutcome> All = [.. Enum.GetValues<DeliveryOutcome>().Where(outcome => outcome != DeliveryOutcome.Unknown)];

    private static readonly Dictionary<string, DeliveryOutcome> ByWire = All.ToDictionary(Wire, StringComparer.Ordinal);

    /// <summary>The outcome a wire name stands for; none for a name this version does not give.</summary>
    public static DeliveryOutcome? Parse(string? wire) => wire is not null && ByWire.TryGetValue(wire, out var outcome) ? outcome : null;

    /// <summary>A delivery-log row's outcome: an older version's name this one does not give reads as <see cref="DeliveryOutcome.Unknown"/>.</summary>
    public static DeliveryOutcome Read(string wire) => Parse(wire) ?? DeliveryOutcome.Unknown;

    /// <summary>Staging took the delivery: its 2xx or 4xx relayed.</summary>
    public static bool IsForwarded(this DeliveryOutcome outcome) => outcome is DeliveryOutcome.Forwarded2xx or DeliveryOutcome.Forwarded4xx;

    /// <summary>Staging did not take it: a 502 in ghfe's words.</summary>
    public static bool IsForwardFailure(this DeliveryOutcome outcome) =>
        outcome is DeliveryOutcome.ForwardRedirect or DeliveryOutcome.Forward5xx or DeliveryOutcome.ForwardTimeout or DeliveryOutcome.ForwardFailed;

    /// <summary>Handed to staging, whatever staging did with it (the forwards metric counts these).</summary>
    public static bool IsForward(this DeliveryOutcome outcome) => outcome.IsForwarded() || outcome.IsForwardFailure();
}
