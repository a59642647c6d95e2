using Ghfe.Configuration;
using Ghfe.Routing;

namespace Ghfe.Pages;

public sealed record RouteLine(string Match, string Pool, string Image);

public sealed record RuleLine(int Position, string Name, string AppliesTo, IReadOnlyList<RouteLine> Routes);

/// <summary>An owner the routing file names: its login, worker cap and staging repositories.</summary>
public sealed record EntityLine(long Id, string? Login, int? MaxWorkers, IReadOnlyList<string> Staging);

/// <summary>
/// The /routing page: the loaded rules in order, as the configuration file states them, with
/// owners named by the logins the file gives them; and the entities the file knows.
/// </summary>
public sealed record RoutingView(string Environment, string Fingerprint, IReadOnlyList<RuleLine> Rules, IReadOnlyList<EntityLine> Entities)
{
    public static RoutingView Build(bool prod, RoutingConfig config, string fingerprint)
    {
        var logins = config.Entities.Where(entity => !string.IsNullOrEmpty(entity.Login)).ToDictionary(entity => entity.Id, entity => entity.Login);
        return new(
            Layout.EnvironmentOf(prod),
            fingerprint,
            [.. config.Routing.Rules.Select((rule, index) => new RuleLine(
                index + 1,
                rule.Name,
                RuleText.Scope(rule, logins.GetValueOrDefault),
                [.. rule.Routes.Select(route => new RouteLine(RuleText.Match(route.Labels), route.Pool, route.Image))]))],
            [.. config.Entities.Select(entity => new EntityLine(entity.Id, entity.Login, entity.MaxWorkers, entity.StagingRepositories))]);
    }
}
