using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>Which deliveries to read: received in [Start, End), optional equalities (null matches all), one page of them.</summary>
public sealed record DeliveriesFilter(DateTimeOffset Start, DateTimeOffset End, DeliveryOutcome? Outcome, string? Owner, string? Repo, string? Label, int Limit, long Offset);
