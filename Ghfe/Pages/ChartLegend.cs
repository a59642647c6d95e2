namespace Ghfe.Pages;

/// <summary>One pool of the jobs-per-day chart: its colour and its jobs over the days shown.</summary>
public sealed record ChartLegend(string Pool, string Color, int Jobs);
