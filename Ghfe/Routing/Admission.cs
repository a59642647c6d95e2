using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Routing;

/// <summary>
/// Who is refused before any rule is tried: banned owners (entity ids), banned senders
/// (<c>sender.id</c>), and — when the routing file says so — every repository that is not public.
/// </summary>
/// <param name="PublicOnly">Refuse jobs of repositories whose <c>visibility</c> is not <c>public</c> (a delivery without one included).</param>
public sealed record Admission(IReadOnlySet<long> BannedEntities, IReadOnlySet<long> BannedSenders, bool PublicOnly)
{
    public const string Public = "public";

    /// <summary>Nobody banned, every repository taken.</summary>
    public static readonly Admission Open = new(new System.Collections.Generic.HashSet<long>(), new System.Collections.Generic.HashSet<long>(), false);

    /// <summary>Whether anyone can be refused at all: when not, a delivery is not even looked at for it.</summary>
    public bool RefusesAny => BannedEntities.Count > 0 || BannedSenders.Count > 0 || PublicOnly;

    /// <summary>In one line, for check-config and the start-up log.</summary>
    public string Describe() =>
        $"refused before routing: banned owners {Ids(BannedEntities)}; banned senders {Ids(BannedSenders)}; repositories that are not public {(PublicOnly ? "refused" : "served")}";

    private static string Ids(IReadOnlySet<long> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids.Order());

    /// <summary>Pure. Why a job of <paramref name="owner"/>, sent by <paramref name="sender"/>, in a repository of <paramref name="visibility"/> is refused; none when it is admitted.</summary>
    public Option<Refusal> Check(long owner, long? sender, string? visibility) =>
        BannedEntities.Contains(owner) ? new Refusal.BannedEntity(owner)
        : sender is { } id && BannedSenders.Contains(id) ? new Refusal.BannedSender(id)
        : PublicOnly && !string.Equals(visibility, Public, StringComparison.Ordinal) ? new Refusal.NotPublic(visibility)
        : None;
}

/// <summary>Why <see cref="Admission"/> refuses a job: a closed set.</summary>
public abstract record Refusal
{
    private Refusal() { }

    /// <summary>In words, for the log line, /routing/explain and /jobs/{id}.</summary>
    public abstract string Why { get; }

    public sealed record BannedEntity(long Owner) : Refusal
    {
        public override string Why => $"owner {Owner} is banned (banned_entities)";
    }

    public sealed record BannedSender(long Sender) : Refusal
    {
        public override string Why => $"sender {Sender} is banned (banned_senders)";
    }

    /// <param name="Visibility">As the delivery says it; null when it says none.</param>
    public sealed record NotPublic(string? Visibility) : Refusal
    {
        public override string Why => Visibility is null
            ? "the delivery does not say the repository is public, and only public repositories are served (public_repositories_only)"
            : $"the repository is {Visibility}, and only public repositories are served (public_repositories_only)";
    }
}
