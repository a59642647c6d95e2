namespace Ghfe.Redelivery;

/// <summary>One redelivery to ask for: the newest attempt of a delivery that never succeeded.</summary>
public sealed record Ask(string Guid, long AttemptId, string? Action, long? RepositoryId, DateTimeOffset FirstDeliveredAt);

/// <summary>What the delivered payload says of an <see cref="Ask"/>: its repository and job, when GitHub tells.</summary>
public sealed record AskDetail(string? Repository, long? JobId)
{
    public static readonly AskDetail Unknown = new(null, null);
}

/// <summary>What one run decides for one App's listed deliveries.</summary>
/// <param name="Examined">workflow_job deliveries (guids) first sent inside the window.</param>
/// <param name="Succeeded">Of those, how many some attempt delivered (a 2xx).</param>
/// <param name="Waiting">Failed, but redelivered less than --retry-after ago: left for a later run.</param>
/// <param name="Asks">The redeliveries to ask for, oldest delivery first, at most --max.</param>
/// <param name="OverCap">Failed deliveries past --max: the next run asks for them.</param>
public sealed record Plan(int Examined, int Succeeded, int Waiting, IReadOnlyList<Ask> Asks, int OverCap);

/// <summary>
/// Which deliveries to ask GitHub to send again. Pure: the listed attempts, the time and the
/// options in, the plan out.
/// </summary>
/// <remarks>
/// A delivery belongs to the window when its original attempt was sent inside it: redeliveries
/// do not move it, so a delivery that keeps failing is given up once its job is older than the
/// window (GitHub cancels a job queued for 24 hours anyway). A delivery whose original is not
/// listed was sent before the window (the listing runs newest first and goes past the window's
/// start), and is left alone too.
/// </remarks>
public static class RedeliveryPlan
{
    public const string WorkflowJob = "workflow_job";

    public static Plan Decide(IEnumerable<HookDelivery> attempts, DateTimeOffset now, RedeliveryOptions options)
    {
        var windowStart = now - options.Since;
        var examined = 0;
        var succeeded = 0;
        var waiting = 0;
        var failed = new List<Ask>();
        foreach (var delivery in attempts.Where(a => a.Event == WorkflowJob).GroupBy(a => a.Guid, StringComparer.Ordinal))
        {
            var original = delivery.Where(a => !a.Redelivery).OrderBy(a => a.DeliveredAt).FirstOrDefault();
            if (original is null || original.DeliveredAt < windowStart)
            {
                continue;
            }

            examined++;
            if (delivery.Any(a => a.Succeeded))
            {
                succeeded++;
                continue;
            }

            var newest = delivery.MaxBy(a => (a.DeliveredAt, a.Id))!;
            if (newest.Redelivery && now - newest.DeliveredAt < options.RetryAfter)
            {
                waiting++;
                continue;
            }

            failed.Add(new Ask(delivery.Key, newest.Id, original.Action ?? newest.Action, original.RepositoryId ?? newest.RepositoryId, original.DeliveredAt));
        }

        var asks = failed.OrderBy(a => a.FirstDeliveredAt).ThenBy(a => a.AttemptId).Take(options.Max).ToList();
        return new Plan(examined, succeeded, waiting, asks, failed.Count - asks.Count);
    }

    /// <summary>Whether the listing may stop after this page: it lists newest first, so a page reaching before the window ends it.</summary>
    public static bool PastWindow(IReadOnlyList<HookDelivery> page, DateTimeOffset now, RedeliveryOptions options) =>
        page.Count == 0 || page.Min(a => a.DeliveredAt) < now - options.Since;
}
