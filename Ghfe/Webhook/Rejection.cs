namespace Ghfe.Webhook;

/// <summary>
/// Every way a delivery ends without a job command: a closed set, each case knowing its
/// HTTP status and its text (README, "What it answers"). Matched once, at the edge.
/// </summary>
public abstract record Rejection
{
    private Rejection() { }

    public abstract int Status { get; }

    public abstract string Text { get; }

    /// <summary>A short stable name for logs and the delivery outcome.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Refused before the signature held: anyone on the internet can send these, so they are
    /// counted per minute and source rather than recorded one by one.
    /// </summary>
    public virtual bool Unsigned => false;

    /// <summary>The body is over the limit; checked before anything else, while reading it.</summary>
    public sealed record TooLarge(long Limit) : Rejection
    {
        public override int Status => 413;
        public override string Text => $"Payload too large: the limit is {Limit / (1024 * 1024)} MiB ({Limit} bytes)";
        public override string Kind => "too_large";
        public override bool Unsigned => true;
    }

    /// <summary>The memory budget for unverified bodies has no room for this one now (the edge adds Retry-After).</summary>
    public sealed record NoRoomForBody(int RetryAfterSeconds) : Rejection
    {
        public override int Status => 503;
        public override string Text => $"Too many request bodies in flight: retry in {RetryAfterSeconds} s";
        public override string Kind => "no_room_for_body";
        public override bool Unsigned => true;
    }

    /// <summary>The body ended before its Content-Length, the client went away, or it came too slowly (408).</summary>
    public sealed record IncompleteBody(int StatusCode) : Rejection
    {
        public override int Status => StatusCode;
        public override string Text => "Request body incomplete";
        public override string Kind => "incomplete_body";
        public override bool Unsigned => true;
    }

    public sealed record MissingHeader(string Header) : Rejection
    {
        public override int Status => 400;
        public override string Text => $"Missing {Header} header";
        public override string Kind => "missing_header";
        public override bool Unsigned => true;
    }

    /// <summary>Never carries the expected signature: nothing here may help a forger.</summary>
    public sealed record InvalidSignature : Rejection
    {
        public override int Status => 401;
        public override string Text => "Invalid signature";
        public override string Kind => "invalid_signature";
        public override bool Unsigned => true;
    }

    /// <summary>A verified ping: answered without touching the database.</summary>
    public sealed record Ping : Rejection
    {
        public override int Status => 200;
        public override string Text => "pong";
        public override string Kind => "ping";
    }

    public sealed record IgnoredEvent(string Event) : Rejection
    {
        public override int Status => 200;
        public override string Text => $"Ignoring {Event} event";
        public override string Kind => "ignored_event";
    }

    /// <summary>The body is not JSON, or a required field is missing or of the wrong type.</summary>
    public sealed record InvalidPayload(string Problem) : Rejection
    {
        public override int Status => 400;
        public override string Text => $"Invalid payload: {Problem}";
        public override string Kind => "invalid_payload";
    }

    public sealed record IgnoredAction(string Action) : Rejection
    {
        public override int Status => 200;
        public override string Text => $"Ignoring action: {Action}";
        public override string Kind => "ignored_action";
    }

    public sealed record UnsupportedOwnerType(string OwnerType) : Rejection
    {
        public override int Status => 400;
        public override string Text => $"Unsupported owner type: {OwnerType}";
        public override string Kind => "unsupported_owner_type";
    }

    /// <summary>No routing rule gives these labels a pool. Labels are shown as a JSON array.</summary>
    /// <param name="Labels">As the delivery listed them.</param>
    public sealed record NoMatchingRule(long JobId, IReadOnlyList<string> Labels) : Rejection
    {
        public override int Status => 200;
        public override string Text =>
            $"Ignoring job: missing required platform label (got {LabelJson.Of(Labels)})";
        public override string Kind => "no_matching_rule";
    }
}
