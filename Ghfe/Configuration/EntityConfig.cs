namespace Ghfe.Configuration;

/// <summary>
/// An entity (owner id) the service knows: its worker cap (null: unlimited) and whose
/// deliveries prod forwards to staging — all of its repositories, or those listed.
/// </summary>
/// <param name="StagingRepositories">The repositories forwarded; unused when <paramref name="AllToStaging"/>.</param>
/// <param name="AllToStaging">Every repository of the entity is forwarded (<c>"staging": true</c>).</param>
public sealed record EntityConfig(long Id, string? Login, int? MaxWorkers, IReadOnlyList<string> StagingRepositories, bool AllToStaging = false);
