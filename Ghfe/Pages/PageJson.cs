using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ghfe.Webhook;

namespace Ghfe.Pages;

/// <summary>The JSON variants: the view models with snake_case names and ISO-8601 UTC timestamps.</summary>
public static class PageJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcTimestamps(), new OutcomeNames() },
    };

    public static string Serialize<T>(T view) => JsonSerializer.Serialize(view, Options);

    /// <summary>An outcome as the delivery log names it.</summary>
    private sealed class OutcomeNames : JsonConverter<DeliveryOutcome>
    {
        public override DeliveryOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DeliveryOutcomes.Read(reader.GetString() ?? string.Empty);

        public override void Write(Utf8JsonWriter writer, DeliveryOutcome value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Wire());
    }

    private sealed class UtcTimestamps : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}
