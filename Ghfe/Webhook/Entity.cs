using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Who the job belongs to, as read from <c>repository</c> and its owner.</summary>
public sealed record Entity(
    string Type,
    long OwnerId,
    string OwnerLogin,
    long RepositoryId,
    string RepositoryFullName)
{
    public const string Organization = "Organization";

    public const string User = "User";

    /// <summary>Organisations share runners per owner; personal accounts get repo-scoped runners.</summary>
    public long EntityId => Type == Organization ? OwnerId : RepositoryId;

    /// <summary>The control plane keys every job by its owner, a User's too.</summary>
    public long EntityIdIn(SchemaGeneration generation) => generation == SchemaGeneration.ControlPlane ? OwnerId : EntityId;

    /// <summary>Stage 4: the repository owner must be an Organization or a User. Fields are checked in this order.</summary>
    public static Either<Rejection, Entity> Read(Payload payload) =>
        JsonFields.Object(payload.Repository, "repository").Bind(static repository =>
            JsonFields.Object(repository.Child("owner"), "repository.owner").Bind(owner => Read(repository, owner)));

    /// <summary>Every field is read; the first refused, in this order, ends the road.</summary>
    private static Either<Rejection, Entity> Read(Payload.Node repository, Payload.Node owner) =>
        JsonFields.FirstRefused(
            JsonFields.String(owner["type"], "repository.owner.type").Bind(OwnerType),
            JsonFields.Id(owner["id"], "repository.owner.id"),
            JsonFields.String(owner["login"], "repository.owner.login", FieldLimits.NameLength),
            JsonFields.Id(repository["id"], "repository.id"),
            JsonFields.String(repository["full_name"], "repository.full_name", FieldLimits.NameLength),
            static (type, ownerId, login, repositoryId, fullName) => new Entity(type, ownerId, login, repositoryId, fullName));

    private static Either<Rejection, string> OwnerType(string type) =>
        type is Organization or User ? Right<Rejection, string>(type) : new Rejection.UnsupportedOwnerType(type);
}
