namespace Ghfe.Redelivery;

/// <summary>What one <c>ghfe redeliver</c> run may do, from its flags.</summary>
/// <param name="Since">The look-back window: a delivery first sent before it is left alone.</param>
/// <param name="RetryAfter">How long a redelivery asked for earlier is given before it is asked for again.</param>
/// <param name="DryRun">List what would be asked for, ask nothing.</param>
/// <param name="Max">At most this many redeliveries a run (per App).</param>
/// <param name="MaxPages">
/// At most this many pages of the listing a run (per App): an API whose Link header never ends
/// ends here. 300 pages (30,000 attempts) is about what the CronJob's 280 s read at a page a second.
/// </param>
public sealed record RedeliveryOptions(TimeSpan Since, TimeSpan RetryAfter, bool DryRun, int Max, int MaxPages)
{
    public static readonly RedeliveryOptions Default = new(TimeSpan.FromHours(24), TimeSpan.FromMinutes(30), DryRun: false, Max: 500, MaxPages: 300);
}
