using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 1a: the headers GitHub always sends must be there.</summary>
public static class Headers
{
    public static Either<Rejection, string> Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? new Rejection.MissingHeader(name) : Right<Rejection, string>(value);
}
