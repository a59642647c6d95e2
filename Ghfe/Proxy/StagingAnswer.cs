using Ghfe.Webhook;

namespace Ghfe.Proxy;

/// <summary>
/// What ghfe answers GitHub once staging has answered, or has not. Staging is a peer, not
/// trusted: only its 2xx and 4xx are relayed (with its text, already capped); a redirect, a 5xx,
/// any other status, a timeout or a broken connection is a 502 in ghfe's own words, its
/// outcome saying which.
/// </summary>
public static class StagingAnswer
{
    /// <summary>Every outcome a forward can have: they label the forwards metric and the delivery log.</summary>
    public static readonly IReadOnlyList<DeliveryOutcome> Outcomes = [.. DeliveryOutcomes.All.Where(DeliveryOutcomes.IsForward)];

    /// <param name="text">Staging's text, already cut to what ghfe relays.</param>
    public static (int Status, string Text, DeliveryOutcome Outcome) Of(int status, string text, Uri target) => status switch
    {
        >= 200 and < 300 => (status, text, DeliveryOutcome.Forwarded2xx),
        >= 400 and < 500 => (status, text, DeliveryOutcome.Forwarded4xx),
        >= 300 and < 400 => (502, $"Staging answered {status}, a redirect, which ghfe does not follow ({Shown(target)}); the delivery was not handled.", DeliveryOutcome.ForwardRedirect),
        >= 500 and < 600 => (502, $"Staging answered {status} ({Shown(target)}); the delivery was not handled.", DeliveryOutcome.Forward5xx),
        _ => (502, $"Staging answered {status}, not a status ghfe relays ({Shown(target)}); the delivery was not handled.", DeliveryOutcome.ForwardFailed),
    };

    public static (int Status, string Text, DeliveryOutcome Outcome) NotInTime(Uri target, TimeSpan deadline) =>
        (502, $"Staging did not answer within {deadline.TotalSeconds:0} s ({Shown(target)}); the delivery was not handled.", DeliveryOutcome.ForwardTimeout);

    public static (int Status, string Text, DeliveryOutcome Outcome) Unreachable(Uri target, string reason) =>
        (502, $"Staging is unreachable ({Shown(target)}: {reason}); the delivery was not handled.", DeliveryOutcome.ForwardFailed);

    public static (int Status, string Text, DeliveryOutcome Outcome) BrokenOff(Uri target) =>
        (502, $"Staging broke off its answer ({Shown(target)}); the delivery was not handled.", DeliveryOutcome.ForwardFailed);

    /// <summary>
    /// Staging's scheme, host and port: the text goes to GitHub's Recent Deliveries and the
    /// delivery log, and STAGING_URL's user, path or query may hold a secret.
    /// </summary>
    private static string Shown(Uri target) => $"{target.Scheme}://{target.Authority}";
}
