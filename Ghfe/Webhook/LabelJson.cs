using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ghfe.Webhook;

/// <summary>Labels as a compact JSON array, the form both the database and the answers use.</summary>
public static class LabelJson
{
    // Relaxed escaping keeps non-ASCII labels readable; the result is never embedded in HTML.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(IReadOnlyList<string> items) => JsonSerializer.Serialize(items, Options);
}
