using System.Diagnostics.CodeAnalysis;

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

    /// <summary>Stage 4: the repository owner must be an Organization or a User. Fields are checked in this order.</summary>
    public static bool TryParse(Payload payload, [NotNullWhen(true)] out Entity? entity, [NotNullWhen(false)] out Rejection? rejection)
    {
        entity = null;
        var repository = payload.Repository;
        var owner = repository.Child("owner");
        if (!JsonFields.TryObject(repository, "repository", out rejection)
            || !JsonFields.TryObject(owner, "repository.owner", out rejection)
            || !JsonFields.TryString(owner["type"], "repository.owner.type", out var type, out rejection))
        {
            return false;
        }

        if (type is not (Organization or User))
        {
            rejection = new Rejection.UnsupportedOwnerType(type);
            return false;
        }

        if (!JsonFields.TryId(owner["id"], "repository.owner.id", out var ownerId, out rejection)
            || !JsonFields.TryString(owner["login"], "repository.owner.login", out var login, out rejection)
            || !JsonFields.TryId(repository["id"], "repository.id", out var repositoryId, out rejection)
            || !JsonFields.TryString(repository["full_name"], "repository.full_name", out var fullName, out rejection)
            || !JsonFields.TryString(repository["name"], "repository.name", out var name, out rejection))
        {
            return false;
        }

        entity = new Entity(type, ownerId, login, repositoryId, fullName, name);
        return true;
    }
}
