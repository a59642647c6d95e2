using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 1a: the headers GitHub always sends must be there, the event first.</summary>
public static class Headers
{
    /// <summary>The App the delivery is for; the control plane records it with every delivery.</summary>
    public const string AppId = "X-GitHub-Hook-Installation-Target-Id";

    /// <summary>The number <see cref="AppId"/> holds, as GitHub writes it (digits alone); none otherwise.</summary>
    public static long? Number(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    public static Either<Rejection, WebhookRequest> Required(WebhookRequest request) =>
        string.IsNullOrEmpty(request.Event) ? new Rejection.MissingHeader(Event.Header)
        : string.IsNullOrEmpty(request.Signature) ? new Rejection.MissingHeader(Signature.Header)
        : Right<Rejection, WebhookRequest>(request);

    /// <summary>After the signature: in the control-plane generation every delivery names its App, as there.</summary>
    public static Either<Rejection, WebhookRequest> AppIdRequired(WebhookRequest request, SchemaGeneration generation) =>
        generation == SchemaGeneration.ControlPlane && string.IsNullOrEmpty(request.AppId)
            ? new Rejection.MissingHeader(AppId)
            : Right<Rejection, WebhookRequest>(request);
}
