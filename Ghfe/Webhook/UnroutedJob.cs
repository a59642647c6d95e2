using Ghfe.Routing;

namespace Ghfe.Webhook;

/// <summary>A job as the delivery describes it, before the routing rules give it a pool and an image.</summary>
/// <param name="Labels">As the delivery listed them (a miss shows them so).</param>
public sealed record UnroutedJob(JobStatus Target, Entity Entity, long JobId, IReadOnlyList<string> Labels, string? HtmlUrl, long InstallationId)
{
    /// <summary>Sorted as stored, and as the rules compare them.</summary>
    public IReadOnlyList<string> SortedLabels { get; } = LabelOrder.Sorted(Labels);

    public JobCommand RoutedTo(Destination destination) => JobCommand.For(Target, new JobRecord(
        JobId, Entity.Type, Entity.EntityId, Entity.OwnerLogin, Entity.RepositoryFullName, InstallationId, SortedLabels, destination.Pool, destination.Image, HtmlUrl, destination.Provider));
}
