using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>GHFE_SCHEMA_GENERATION names one generation, and the database holds the other: ghfe writes neither.</summary>
public sealed class SchemaGenerationConflict(string schema, SchemaGeneration configured, SchemaGeneration found)
    : Exception($"GHFE_SCHEMA_GENERATION is {configured.Name()} but schema {schema} holds the {found.Name()} generation ({Marker(found)})")
{
    public SchemaGeneration Configured { get; } = configured;

    public SchemaGeneration Found { get; } = found;

    private static string Marker(SchemaGeneration generation) =>
        generation == SchemaGeneration.ControlPlane ? "jobs.k8s_selector" : "jobs without k8s_selector";
}
