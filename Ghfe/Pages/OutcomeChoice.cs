namespace Ghfe.Pages;

/// <summary>One option of /deliveries' outcome filter.</summary>
public sealed record OutcomeChoice(string Wire, bool Selected);
