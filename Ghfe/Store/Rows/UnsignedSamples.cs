using System.Text.Json;

namespace Ghfe.Store;

/// <summary>A few of the values that unsigned requests of one minute, source and outcome came with, each clipped; anyone's to choose.</summary>
public sealed record UnsignedSamples(IReadOnlyList<string> DeliveryIds, IReadOnlyList<string> UserAgents)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>As deliveries.samples holds it: <c>{"delivery_ids": […], "user_agents": […]}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>deliveries.samples as the delivery log writes it; anything else reads as none.</summary>
    public static UnsignedSamples? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<UnsignedSamples>(json, Json) is { DeliveryIds: not null, UserAgents: not null } samples ? samples : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
