using System.Text.Json;
using Ghfe.Webhook;

namespace Ghfe.Store;

/// <summary>The control plane's placement of a job: its node selector, the board and — when the route names one — the provider.</summary>
public static class Selector
{
    public static string Of(JobRecord job)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(GenerationSql.BoardKey, job.Pool);
            if (job.Provider is { } provider)
            {
                writer.WriteString(GenerationSql.ProviderKey, provider);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
