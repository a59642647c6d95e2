using Ghfe.Routing;

namespace Ghfe.Webhook;

/// <summary>A job as the delivery describes it, before the routing rules give it a pool and an image.</summary>
/// <param name="Labels">As the delivery listed them (a miss shows them so).</param>
/// <param name="EntityId">The owner the row is keyed by: <see cref="Entity.EntityIdIn"/> the schema's generation.</param>
public sealed record UnroutedJob(JobStatus Target, Entity Entity, long JobId, IReadOnlyList<string> Labels, string? HtmlUrl, long InstallationId, long EntityId, JobDetails? Details = null)
{
    /// <summary>Sorted as stored, and as the rules compare them.</summary>
    public IReadOnlyList<string> SortedLabels { get; } = LabelOrder.Sorted(Labels);

    public JobCommand RoutedTo(Destination destination) => JobCommand.For(Target, new JobRecord(
        JobId, Entity.Type, EntityId, Entity.OwnerLogin, Entity.RepositoryFullName, InstallationId, SortedLabels, destination.Pool, destination.Image, HtmlUrl, destination.Provider,
        Details));
}
