namespace Ghfe.Proxy;

/// <summary>
/// What ghfe answers GitHub once staging has answered, or has not. Staging is a peer, not
/// trusted: only its 2xx and 4xx are relayed (with its text, already capped); a redirect, a 5xx,
/// any other status, a timeout or a broken connection is a 502 in ghfe's own words. The outcomes
/// are a closed set: they label the forwards metric and the delivery log.
/// </summary>
public static class StagingAnswer
{
    public const string Relayed2xx = "forwarded_2xx";
    public const string Relayed4xx = "forwarded_4xx";
    public const string Redirect = "forward_redirect";
    public const string Staging5xx = "forward_5xx";
    public const string TimedOut = "forward_timeout";
    public const string Failed = "forward_failed";

    public static readonly IReadOnlyList<string> Outcomes = [Relayed2xx, Relayed4xx, Redirect, Staging5xx, TimedOut, Failed];

    /// <param name="text">Staging's text, already cut to what ghfe relays.</param>
    public static (int Status, string Text, string Outcome) Of(int status, string text, Uri target) => status switch
    {
        >= 200 and < 300 => (status, text, Relayed2xx),
        >= 400 and < 500 => (status, text, Relayed4xx),
        >= 300 and < 400 => (502, $"Staging answered {status}, a redirect, which ghfe does not follow ({target}); the delivery was not handled.", Redirect),
        >= 500 and < 600 => (502, $"Staging answered {status} ({target}); the delivery was not handled.", Staging5xx),
        _ => (502, $"Staging answered {status}, not a status ghfe relays ({target}); the delivery was not handled.", Failed),
    };

    public static (int Status, string Text, string Outcome) NotInTime(Uri target, TimeSpan deadline) =>
        (502, $"Staging did not answer within {deadline.TotalSeconds:0} s ({target}); the delivery was not handled.", TimedOut);

    public static (int Status, string Text, string Outcome) Unreachable(Uri target, string reason) =>
        (502, $"Staging is unreachable ({target}: {reason}); the delivery was not handled.", Failed);

    public static (int Status, string Text, string Outcome) BrokenOff(Uri target) =>
        (502, $"Staging broke off its answer ({target}); the delivery was not handled.", Failed);
}
