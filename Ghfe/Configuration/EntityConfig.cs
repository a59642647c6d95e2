namespace Ghfe.Configuration;

/// <summary>
/// An entity (owner id) the service knows: its worker cap (null: unlimited) and the
/// repositories whose deliveries prod forwards to staging.
/// </summary>
public sealed record EntityConfig(long Id, string? Login, int? MaxWorkers, IReadOnlyList<string> StagingRepositories);
