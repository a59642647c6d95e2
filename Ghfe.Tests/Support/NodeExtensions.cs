using System.Text.Json.Nodes;

namespace Ghfe.Tests.Support;

public static class NodeExtensions
{
    /// <summary>Edits a payload in place and hands it on, for one-expression test deliveries.</summary>
    public static JsonObject Also(this JsonObject node, Action<JsonObject> edit)
    {
        edit(node);
        return node;
    }
}
