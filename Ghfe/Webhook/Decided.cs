using LanguageExt;

namespace Ghfe.Webhook;

/// <summary>
/// The pipeline's result for one delivery: the decision, and what the body says about itself for
/// the delivery log (read from the same parse; empty unless the signature held). <paramref name="Event"/>: in
/// the control-plane generation, the <c>installation_events</c> row of a delivery that stores no job
/// (a job command carries its own, to commit with it).
/// </summary>
public sealed record Decided(Either<Rejection, DeliveryCommand> Decision, DeliverySummary Summary, InstallationEvent? Event = null);
