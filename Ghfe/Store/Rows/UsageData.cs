namespace Ghfe.Store;

/// <summary>What the store reads for one /usage request: the active jobs and workers, from one snapshot.</summary>
public sealed record UsageData(IReadOnlyList<ActiveJob> Jobs, IReadOnlyList<ActiveWorker> Workers);
