namespace Ghfe.Redelivery;

/// <summary>What one <c>ghfe redeliver</c> run may do, from its flags.</summary>
/// <param name="Since">The look-back window: a delivery first sent before it is left alone.</param>
/// <param name="RetryAfter">How long a redelivery asked for earlier is given before it is asked for again.</param>
/// <param name="DryRun">List what would be asked for, ask nothing.</param>
/// <param name="Max">At most this many redeliveries a run (per App).</param>
public sealed record RedeliveryOptions(TimeSpan Since, TimeSpan RetryAfter, bool DryRun, int Max)
{
    public static readonly RedeliveryOptions Default = new(TimeSpan.FromHours(24), TimeSpan.FromMinutes(30), DryRun: false, Max: 500);
}
