using Ghfe.Store;
using Ghfe.Tests.Support;

namespace Ghfe.Tests.Docs;

/// <summary>docs/configuration.md quotes the control plane's DDL verbatim: the text ghfe runs in an empty schema.</summary>
public sealed class SchemaGenerationDocsTests
{
    [Fact]
    public void The_documented_control_plane_ddl_is_the_one_ghfe_runs()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md")).ReplaceLineEndings("\n");
        var ddl = string.Join("\n", Schema.ControlPlaneDdl.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd())).Trim();

        Assert.Contains("```sql\n" + ddl + "\n```", docs, StringComparison.Ordinal);
    }
}
