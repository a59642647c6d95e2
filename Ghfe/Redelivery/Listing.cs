namespace Ghfe.Redelivery;

/// <summary>What one run read of an App's deliveries.</summary>
/// <param name="Attempts">Every attempt read, newest first.</param>
/// <param name="Pages">How many pages were read.</param>
/// <param name="Problems">
/// One line per item skipped, and one if the listing ended before the window's start (the page
/// cap, a Link header that names no usable page). The plan still runs on what was read: a
/// delivery whose original attempt was not read is left alone.
/// </param>
public sealed record Listing(IReadOnlyList<HookDelivery> Attempts, int Pages, IReadOnlyList<string> Problems);
