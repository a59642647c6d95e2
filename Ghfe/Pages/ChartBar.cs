namespace Ghfe.Pages;

/// <summary>One bar segment of the jobs-per-day chart, in SVG user units.</summary>
public sealed record ChartBar(double X, double Y, double Width, double Height, string Color, string Title);
