using LanguageExt;
using static LanguageExt.Prelude;

namespace Ghfe.Webhook;

/// <summary>Stage 1a: the headers GitHub always sends must be there, the event first.</summary>
public static class Headers
{
    public static Either<Rejection, WebhookRequest> Required(WebhookRequest request) =>
        string.IsNullOrEmpty(request.Event) ? new Rejection.MissingHeader(Event.Header)
        : string.IsNullOrEmpty(request.Signature) ? new Rejection.MissingHeader(Signature.Header)
        : Right<Rejection, WebhookRequest>(request);
}
