namespace Ghfe.Pages;

/// <summary>Where a /history page sits among the pages, with links to first, prev, next and last (null when there is none).</summary>
public sealed record Paging(int Page, int PerPage, int Total, int Pages, string? First, string? Prev, string? Next, string? Last);
