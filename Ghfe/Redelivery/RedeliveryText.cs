using System.Globalization;

namespace Ghfe.Redelivery;

/// <summary>The lines <c>ghfe redeliver</c> prints: one per redelivery, one summary per App.</summary>
public static class RedeliveryText
{
    public static string Asked(Ask ask, AskDetail detail, bool dryRun) =>
        $"{(dryRun ? "would ask" : "asked")} {ask.Guid} workflow_job.{ask.Action ?? "?"}"
        + (detail.JobId is { } job ? $" job {job}" : string.Empty)
        + (detail.Repository is { } name ? $" {name}" : ask.RepositoryId is { } repository ? $" repository {repository}" : " repository unknown")
        + $" (attempt {ask.AttemptId}, first sent {ask.FirstDeliveredAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)})";

    public static string Summary(string app, Plan plan, int asked, int failed, bool dryRun) =>
        $"{app}: examined {plan.Examined} workflow_job deliveries, {plan.Succeeded} already succeeded, "
        + $"{plan.Waiting} waiting (redelivered recently), "
        + (dryRun ? $"would ask for {plan.Asks.Count} (dry run)" : $"asked for {asked}, failed to ask {failed}")
        + (plan.OverCap > 0 ? $", {plan.OverCap} left for the next run (--max)" : string.Empty);
}
