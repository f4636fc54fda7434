using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>A vocabulary enum in JSON (values and dictionary keys) as its <see cref="StoredText{TEnum}"/> text.</summary>
internal sealed class StoredTextJsonConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && StoredText<TEnum>.TryParse(reader.GetString(), out var value) ? value
            : throw new JsonException($"expected one of {string.Join(", ", StoredText<TEnum>.All)}");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToText());

    public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StoredText<TEnum>.TryParse(reader.GetString(), out var value) ? value
            : throw new JsonException($"expected one of {string.Join(", ", StoredText<TEnum>.All)}");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToText());
}
