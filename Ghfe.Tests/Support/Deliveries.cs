using Ghfe.Webhook;

namespace Ghfe.Tests.Support;

/// <summary>Signed deliveries, as GitHub would send them.</summary>
public static class Deliveries
{
    public const string Secret = "It's a Secret to Everybody";

    public static readonly byte[] SecretBytes = Signature.SecretBytes(Secret);

    public static WebhookRequest Signed(string eventName, byte[] body, string deliveryId = "test-delivery") =>
        new(eventName, Signature.Compute(SecretBytes, body), deliveryId, body);
}
