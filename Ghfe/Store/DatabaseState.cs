using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>
/// Whether start-up (or, later, the replayer) has made the schema: until then every command
/// spools. And the generation it found, which decides what the store writes and reads.
/// </summary>
public sealed class DatabaseState
{
    private int _schemaReady;
    private int _generation = (int)SchemaGeneration.App;

    public bool SchemaReady => Volatile.Read(ref _schemaReady) == 1;

    /// <summary>The schema's generation once it is made; until then the app's, or what a caller set.</summary>
    public SchemaGeneration Generation => (SchemaGeneration)Volatile.Read(ref _generation);

    public void MarkSchemaReady() => Volatile.Write(ref _schemaReady, 1);

    public void MarkSchemaReady(SchemaGeneration generation)
    {
        Volatile.Write(ref _generation, (int)generation);
        MarkSchemaReady();
    }

    /// <summary>Before the schema answers: the generation deliveries are decided in (the setting's).</summary>
    public void Expect(SchemaGeneration generation) => Volatile.Write(ref _generation, (int)generation);
}
