using System.Net;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>A page whose rows hold more than it can show is served shortened, and whole: it says so and ends with &lt;/html&gt;.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Speed", "Slow")]
public sealed class LongPagesTests(PostgresCluster cluster, ITestOutputHelper output) : GhfeOnFreshDatabase(cluster)
{
    [Fact]
    public async Task Deliveries_with_huge_labels_are_shortened_and_the_page_ends_whole()
    {
        // 400 logged deliveries, each with a 20,000-character label: 8 MB of labels for one page.
        await Rows.ExecuteAsync(Database, """
            INSERT INTO staging.deliveries (delivery_id, received_at, event, action, job_id, owner_id, owner_login, repository, labels, outcome, status, elapsed_ms, source)
            SELECT 'long-' || n, now() - n * interval '1 second', 'workflow_job', 'queued', n, 42, 'someone', 'someone/project',
                   jsonb_build_array('label-' || n || '-' || repeat('x', 20000), 'self-hosted'), 'no_matching_rule', 200, 1.5, '10.0.0.1'
            FROM generate_series(1, 400) AS n
            """);

        using var response = await Ghfe.Client.GetAsync("/deliveries?per_page=500");
        var html = await response.Content.ReadAsStringAsync();
        var rows = html.Split("<td class=\"outcome nowrap\">").Length - 1;
        output.WriteLine($"/deliveries over 400 rows of 20,000-character labels: {(int)response.StatusCode}, {html.Length:N0} characters, {rows} rows shown");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("</html>", html.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("This page is shortened", html, StringComparison.Ordinal);
        Assert.Contains("values over 4,000 characters end in “…”", html, StringComparison.Ordinal);
        Assert.Contains("</table>", html, StringComparison.Ordinal);
        Assert.InRange(rows, 50, 399);
        Assert.True(html.Length < 3_000_000, $"{html.Length} characters");
    }
}
