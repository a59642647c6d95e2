using LanguageExt;

namespace Ghfe.Webhook;

/// <summary>
/// The pipeline's result for one delivery: the decision, and what the body says about itself for
/// the delivery log (read from the same parse; empty unless the signature held).
/// </summary>
public sealed record Decided(Either<Rejection, DeliveryCommand> Decision, DeliverySummary Summary);
