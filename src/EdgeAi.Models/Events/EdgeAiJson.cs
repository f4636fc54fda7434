using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeAi.Models.Events;

/// <summary>System.Text.Json source-generated metadata for every wire contract (snake_case, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    MaxDepth = 32)]
[JsonSerializable(typeof(EdgeEvent))]
public sealed partial class EdgeAiJsonContext : JsonSerializerContext;
