using Ghfe.Configuration;
using Ghfe.Routing;

namespace Ghfe.Pages;

/// <param name="Provider">The board's provider in the control plane's node selector; null when the route names none.</param>
public sealed record RouteLine(string Match, string Pool, string Image, string? Provider = null);

/// <param name="FallsThrough">A job that none of its routes takes goes on to the next rule (else it is ignored).</param>
public sealed record RuleLine(int Position, string Name, string AppliesTo, IReadOnlyList<RouteLine> Routes, bool FallsThrough = false);

/// <summary>An owner the routing file names: its login, worker cap and staging repositories (all of them when <paramref name="AllToStaging"/>).</summary>
public sealed record EntityLine(long Id, string? Login, int? MaxWorkers, IReadOnlyList<string> Staging, bool AllToStaging = false);

/// <summary>A banned owner or sender id, with the login the file gives it, if any.</summary>
public sealed record BannedLine(long Id, string? Login);

/// <summary>Who is refused before staging and routing.</summary>
/// <param name="PublicOnly">Jobs of repositories that are not public are refused.</param>
public sealed record AdmissionLines(IReadOnlyList<BannedLine> Entities, IReadOnlyList<BannedLine> Senders, bool PublicOnly);

/// <summary>
/// The /routing page: who is refused before any rule, the loaded rules in order, as the
/// configuration file states them, with owners named by the logins the file gives them; and
/// the entities the file knows.
/// </summary>
public sealed record RoutingView(string Environment, string Fingerprint, AdmissionLines Refused, IReadOnlyList<RuleLine> Rules, IReadOnlyList<EntityLine> Entities)
{
    public static RoutingView Build(bool prod, RoutingConfig config, string fingerprint)
    {
        var logins = config.Entities.Where(entity => !string.IsNullOrEmpty(entity.Login)).ToDictionary(entity => entity.Id, entity => entity.Login);
        var admission = config.Admission;
        return new(
            Layout.EnvironmentOf(prod),
            fingerprint,
            new AdmissionLines(
                [.. admission.BannedEntities.Order().Select(id => new BannedLine(id, logins.GetValueOrDefault(id)))],
                [.. admission.BannedSenders.Order().Select(id => new BannedLine(id, null))],
                admission.PublicOnly),
            [.. config.Routing.Rules.Select((rule, index) => new RuleLine(
                index + 1,
                rule.Name,
                RuleText.Scope(rule, logins.GetValueOrDefault),
                [.. rule.Routes.Select(route => new RouteLine(RuleText.Match(route.Labels), route.Pool, route.Image, route.Provider))],
                rule.FallsThrough))],
            [.. config.Entities.Select(entity => new EntityLine(entity.Id, entity.Login, entity.MaxWorkers, entity.StagingRepositories, entity.AllToStaging))]);
    }
}
