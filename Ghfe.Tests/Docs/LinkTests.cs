using System.Text.RegularExpressions;
using Ghfe.Tests.Support;
using Xunit.Abstractions;

namespace Ghfe.Tests.Docs;

/// <summary>Every link of the README, docs/ and bench/README.md, and every link the deploy files make into this repository, leads to a file and heading that exist.</summary>
public sealed partial class LinkTests(ITestOutputHelper output)
{
    private static readonly string Root = RepositoryRoot.Path;

    /// <summary>Folders that hold no page of the repository's own: build output, test output, the embedded cluster, git.</summary>
    private static readonly string[] NotPages = ["bin", "obj", "TestResults", ".ghfe", ".git", "node_modules"];

    private static IReadOnlyList<string> Pages() =>
        Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories)
            .Where(page => !Path.GetRelativePath(Root, page).Split(Path.DirectorySeparatorChar).Any(NotPages.Contains))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void Every_link_of_the_documentation_leads_to_a_file_and_heading_that_exist()
    {
        var pages = Pages();
        var relative = pages.Select(page => Path.GetRelativePath(Root, page).Replace(Path.DirectorySeparatorChar, '/')).ToArray();
        Assert.Contains("README.md", relative);
        Assert.Contains("bench/README.md", relative);
        Assert.Superset(new HashSet<string> { "docs/configuration.md", "docs/http.md", "docs/operations.md", "docs/pages.md", "docs/security.md" }, relative.ToHashSet());

        var linkCount = pages.Sum(page => MarkdownLinks.Links(File.ReadAllText(page)).Count);
        output.WriteLine($"{pages.Count} pages, {linkCount} links: {string.Join(", ", relative)}");
        Assert.True(linkCount >= 30, $"only {linkCount} links found: the parser reads too little");
        Assert.Empty(pages.SelectMany(page => MarkdownLinks.DeadLinks(Root, page)));
    }

    [Fact]
    public void Every_link_the_deploy_files_make_into_this_repository_leads_to_a_file_and_heading_that_exist()
    {
        var deploy = Path.Combine(Root, "deploy");
        var links = Directory.EnumerateFiles(deploy, "*", SearchOption.AllDirectories)
            .SelectMany(file => RepositoryUrl().Matches(File.ReadAllText(file)).Select(m => (File: file, Target: m.Value)))
            .ToArray();

        output.WriteLine($"{links.Length} links into the repository in deploy/");
        Assert.Contains(links, link => link.File.EndsWith("ghfe-alerts.rules.yml", StringComparison.Ordinal));
        Assert.Contains(links, link => link.File.EndsWith("prometheusrule.yaml", StringComparison.Ordinal));
        Assert.All(links, link => Assert.Null(MarkdownLinks.Problem(Root, link.File, string.Empty, link.Target)));
    }

    [Theory]
    [InlineData("GhfeDown", "ghfedown")]
    [InlineData("Ask GitHub again: `ghfe redeliver`", "ask-github-again-ghfe-redeliver")]
    [InlineData("/jobs/{id}: one job", "jobsid-one-job")]
    [InlineData("/deliveries: why did my job never get a runner?", "deliveries-why-did-my-job-never-get-a-runner")]
    [InlineData("Durability: nothing acknowledged is lost", "durability-nothing-acknowledged-is-lost")]
    [InlineData("See [the pages](pages.md) too", "see-the-pages-too")]
    public void Anchors_are_made_as_GitHub_makes_them(string heading, string anchor)
    {
        Assert.Equal(anchor, MarkdownLinks.Slug(heading));
    }

    [Fact]
    public void A_dead_file_a_dead_anchor_and_a_dead_link_into_the_repository_are_found_and_code_is_not_read()
    {
        var root = Directory.CreateTempSubdirectory("ghfe-links-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "docs", "b.md"), "# B\n\n## Twice\n\n## Twice\n\n```sh\n# not a heading\n```\n");
            File.WriteAllText(Path.Combine(root, "README.md"), string.Join('\n',
                "# A",
                "[good](docs/b.md) [good](docs/b.md#twice-1) [good](#a) [good folder](docs) [external](https://example.com/nowhere)",
                "[dead file](docs/c.md) and [dead anchor](docs/b.md#twice-2)",
                "[dead anchor in code](docs/b.md#not-a-heading) and [out](../elsewhere.md)",
                $"<{MarkdownLinks.GitHubBlob}docs/b.md#b> <{MarkdownLinks.GitHubBlob}docs/gone.md>",
                "`[in a code span](nowhere.md)`",
                "```",
                "[in a code block](nowhere.md)",
                "```",
                "[ref]: docs/missing.md"));

            var dead = MarkdownLinks.DeadLinks(root, Path.Combine(root, "README.md")).ToArray();

            foreach (var line in dead)
            {
                output.WriteLine(line);
            }

            Assert.Equal(
                [
                    "README.md:3: (docs/c.md) names no file",
                    "README.md:3: (docs/b.md#twice-2) names no heading of docs/b.md",
                    "README.md:4: (docs/b.md#not-a-heading) names no heading of docs/b.md",
                    "README.md:4: (../elsewhere.md) leaves the repository",
                    $"README.md:5: ({MarkdownLinks.GitHubBlob}docs/gone.md) names no file",
                    "README.md:10: (docs/missing.md) names no file",
                ],
                dead);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [GeneratedRegex(@"https://github\.com/riseproject-dev/ghfe/blob/main/[^\s""'<>)]+")]
    private static partial Regex RepositoryUrl();
}
