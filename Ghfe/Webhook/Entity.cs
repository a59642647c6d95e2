using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Who the job belongs to, as read from <c>repository</c> and its owner.</summary>
public sealed record Entity(
    string Type,
    long OwnerId,
    string OwnerLogin,
    long RepositoryId,
    string RepositoryFullName,
    string RepositoryName)
{
    /// <summary>Organisations share runners per owner; personal accounts get repo-scoped runners.</summary>
    public long EntityId => Type == Entity.Organization ? OwnerId : RepositoryId;

    public const string Organization = "Organization";

    public const string User = "User";

    /// <summary>Stage 4: the repository owner must be an Organization or a User.</summary>
    public static Either<Rejection, Entity> Parse(JsonElement root) =>
        from repository in JsonFields.Object(root, "repository", "repository")
        from owner in JsonFields.Object(repository, "owner", "repository.owner")
        from type in JsonFields.String(owner, "type", "repository.owner.type")
        from supported in type is Organization or User
            ? Right<Rejection, string>(type)
            : Left<Rejection, string>(new Rejection.UnsupportedOwnerType(type))
        from ownerId in JsonFields.Id(owner, "id", "repository.owner.id")
        from login in JsonFields.String(owner, "login", "repository.owner.login")
        from repositoryId in JsonFields.Id(repository, "id", "repository.id")
        from fullName in JsonFields.String(repository, "full_name", "repository.full_name")
        from name in JsonFields.String(repository, "name", "repository.name")
        select new Entity(supported, ownerId, login, repositoryId, fullName, name);
}
