namespace Ghfe.Webhook;

/// <summary>
/// Which scheduler's schema the database holds, and so what ghfe writes: the app's
/// (<c>k8s_pool</c>, riseproject-dev/riscv-runner-app) or the control plane's (<c>k8s_selector</c>,
/// riseproject-dev/riscv-runner). docs/configuration.md, "Two schema generations".
/// </summary>
public enum SchemaGeneration
{
    App,
    ControlPlane,
}

public static class SchemaGenerations
{
    /// <summary>The name GHFE_SCHEMA_GENERATION takes and the logs say.</summary>
    public static string Name(this SchemaGeneration generation) => generation switch
    {
        SchemaGeneration.App => "app",
        SchemaGeneration.ControlPlane => "control-plane",
        _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, null),
    };

    public static SchemaGeneration? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "app" => SchemaGeneration.App,
        "control-plane" => SchemaGeneration.ControlPlane,
        _ => null,
    };
}
