namespace Ghfe.Pages;

/// <summary>Markup written as it is: only for HTML ghfe itself rendered (a page's body inside the layout).</summary>
public sealed record RawHtml(string Html);
