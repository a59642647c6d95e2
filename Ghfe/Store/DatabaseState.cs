namespace Ghfe.Store;

/// <summary>Whether start-up (or, later, the replayer) has made the schema: until then every command spools.</summary>
public sealed class DatabaseState
{
    private int _schemaReady;

    public bool SchemaReady => Volatile.Read(ref _schemaReady) == 1;

    public void MarkSchemaReady() => Volatile.Write(ref _schemaReady, 1);
}
