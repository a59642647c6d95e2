using Ghfe.Routing;

namespace Ghfe.Webhook;

/// <summary>
/// Every way a delivery is refused: a closed set, each case knowing its HTTP status, its text
/// (README, "What it answers"), its outcome and what the answer's headers say. Matched once, at the edge.
/// </summary>
public abstract record Rejection
{
    private Rejection() { }

    public abstract int Status { get; }

    public abstract string Text { get; }

    public abstract DeliveryOutcome Outcome { get; }

    /// <summary>
    /// Refused before the signature held: anyone on the internet can send these, so they are
    /// counted per minute and source rather than recorded one by one.
    /// </summary>
    public virtual bool Unsigned => false;

    /// <summary>Seconds the sender is told to wait before trying again (Retry-After); none for most.</summary>
    public virtual int? RetryAfter => null;

    /// <summary>The connection closes after the answer: nothing more of this sender's body is worth reading.</summary>
    public virtual bool ClosesConnection => false;

    /// <summary>The body is over the limit; checked before anything else, while reading it.</summary>
    public sealed record TooLarge(long Limit) : Rejection
    {
        public override int Status => 413;
        public override string Text => $"Payload too large: the limit is {Limit / (1024 * 1024)} MiB ({Limit} bytes)";
        public override DeliveryOutcome Outcome => DeliveryOutcome.TooLarge;
        public override bool Unsigned => true;
    }

    /// <summary>The memory budget for unverified bodies has no room for this one now.</summary>
    public sealed record NoRoomForBody(int RetryAfterSeconds) : Rejection
    {
        public override int Status => 503;
        public override string Text => $"Too many request bodies in flight: retry in {RetryAfterSeconds} s";
        public override DeliveryOutcome Outcome => DeliveryOutcome.NoRoomForBody;
        public override bool Unsigned => true;
        public override int? RetryAfter => RetryAfterSeconds;
        public override bool ClosesConnection => true;
    }

    /// <summary>The body ended before its Content-Length, the client went away, or it came too slowly (408).</summary>
    /// <param name="CutAtDeadline">ghfe stopped waiting for it (<c>RawBody.Deadline</c>).</param>
    public sealed record IncompleteBody(int StatusCode, bool CutAtDeadline = false) : Rejection
    {
        public override int Status => StatusCode;
        public override string Text => "Request body incomplete";
        public override DeliveryOutcome Outcome => DeliveryOutcome.IncompleteBody;
        public override bool Unsigned => true;
        public override bool ClosesConnection => CutAtDeadline;
    }

    public sealed record MissingHeader(string Header) : Rejection
    {
        public override int Status => 400;
        public override string Text => $"Missing {Header} header";
        public override DeliveryOutcome Outcome => DeliveryOutcome.MissingHeader;

        // The App id is asked for only once the signature held.
        public override bool Unsigned => Header != Headers.AppId;
    }

    /// <summary>Never carries the expected signature: nothing here may help a forger.</summary>
    public sealed record InvalidSignature : Rejection
    {
        public override int Status => 401;
        public override string Text => "Invalid signature";
        public override DeliveryOutcome Outcome => DeliveryOutcome.InvalidSignature;
        public override bool Unsigned => true;
    }

    public sealed record IgnoredEvent(string Event) : Rejection
    {
        public override int Status => 200;
        public override string Text => $"Ignoring {Event} event";
        public override DeliveryOutcome Outcome => DeliveryOutcome.IgnoredEvent;
    }

    /// <summary>The body is not JSON, or a required field is missing or of the wrong type.</summary>
    public sealed record InvalidPayload(string Problem) : Rejection
    {
        public override int Status => 400;
        public override string Text => $"Invalid payload: {Problem}";
        public override DeliveryOutcome Outcome => DeliveryOutcome.InvalidPayload;
    }

    public sealed record IgnoredAction(string Action) : Rejection
    {
        public override int Status => 200;
        public override string Text => $"Ignoring action: {Action}";
        public override DeliveryOutcome Outcome => DeliveryOutcome.IgnoredAction;
    }

    public sealed record UnsupportedOwnerType(string OwnerType) : Rejection
    {
        public override int Status => 400;
        public override string Text => $"Unsupported owner type: {OwnerType}";
        public override DeliveryOutcome Outcome => DeliveryOutcome.UnsupportedOwnerType;
    }

    /// <summary>No routing rule gives these labels a pool. Labels are shown as a JSON array.</summary>
    /// <param name="Labels">As the delivery listed them.</param>
    public sealed record NoMatchingRule(long JobId, IReadOnlyList<string> Labels) : Rejection
    {
        public override int Status => 200;
        public override string Text =>
            $"Ignoring job: missing required platform label (got {LabelJson.Of(Labels)})";
        public override DeliveryOutcome Outcome => DeliveryOutcome.NoMatchingRule;
    }

    /// <summary>Refused before staging and routing by the routing file: a ban, or a repository that is not public.</summary>
    public sealed record NotAdmitted(Refusal Refusal) : Rejection
    {
        public override int Status => 200;

        public override string Text => Refusal switch
        {
            Refusal.NotPublic => "Ignoring job: repository is not public",
            Refusal.BannedSender => "Ignoring job: sender is banned",
            _ => "Ignoring job: entity is banned",
        };

        public override DeliveryOutcome Outcome => Refusal is Refusal.NotPublic ? DeliveryOutcome.NotPublic : DeliveryOutcome.Banned;
    }
}
