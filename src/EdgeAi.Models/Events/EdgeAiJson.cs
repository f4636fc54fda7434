using System.Text.Json.Serialization;
using EdgeAi.Models.Devices;

namespace EdgeAi.Models.Events;

/// <summary>System.Text.Json source-generated metadata for every wire contract (snake_case, enums as strings, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    MaxDepth = EdgeEventSchema.MaxDepth + 1)]
[JsonSerializable(typeof(EdgeEvent))]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(DeviceHealth))]
[JsonSerializable(typeof(DeviceCommand))]
[JsonSerializable(typeof(CommandReply))]
public sealed partial class EdgeAiJsonContext : JsonSerializerContext;
