using Ghfe.Modules;
using Ghfe.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ghfe.Tests.Modules;

/// <summary>The pages served once in process at start-up, through the same endpoints as a request.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PageWarmupTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Every_page_is_served_once_with_the_pages_token()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var app = await Program.BuildAsync(GhfeServer.Arguments(database, prod: false, ("GHFE_PAGES_TOKEN", "warm-token")), CancellationToken.None);

        var answers = await PageWarmup.RunAsync(app, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(PageWarmup.Paths.ToDictionary(path => path, _ => 200), answers);
    }

    [Fact]
    public async Task A_database_that_does_not_answer_leaves_the_pages_answering_503()
    {
        await using var app = await Program.BuildAsync(
            GhfeServer.Arguments("postgresql://ghfe:hunter2@127.0.0.1:1/ghfe?connect_timeout=2", prod: false), CancellationToken.None);

        var answers = await PageWarmup.RunAsync(app, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(PageWarmup.Paths.ToDictionary(path => path, _ => 503), answers);
    }
}
