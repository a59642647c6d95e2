namespace Ghfe.Pages;

/// <summary>A page's 400 or 503 shown in the layout: the status, what went wrong, and the plain text a script would get.</summary>
public sealed record ErrorView(int Status, string Headline, string Text);
