namespace Ghfe.Store;

/// <summary>What /jobs/{id} reads: the job's row (none if no delivery ever stored it) and every delivery the log holds for it, oldest first.</summary>
public sealed record JobData(JobRow? Job, IReadOnlyList<DeliveryEntry> Deliveries);
