namespace Ghfe.Store;

/// <summary>An active worker (pending or running), written by the scheduler.</summary>
public sealed record ActiveWorker(
    string PodName,
    string Status,
    long EntityId,
    string? EntityName,
    IReadOnlyList<string> Labels,
    string Pool,
    string? Node,
    DateTimeOffset CreatedAt);
