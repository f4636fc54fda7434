using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using EdgeAi.Models.Events;
using EdgeAi.Testing;

namespace EdgeAi.Models.Tests.Events;

/// <summary>schemas/edge-event.v1.schema.json documents the C# contract: the same property names, the same required ones.</summary>
public sealed class SchemaFileTests
{
    private static readonly JsonObject Schema =
        JsonNode.Parse(File.ReadAllText(TestPaths.InRepo("schemas", "edge-event.v1.schema.json")))!.AsObject();

    public static TheoryData<string, Type> Definitions => new()
    {
        { "", typeof(EdgeEvent) },
        { "camera", typeof(CameraInfo) },
        { "zone", typeof(ZoneInfo) },
        { "rule", typeof(RuleEvaluation) },
        { "object", typeof(DetectedObject) },
        { "frame", typeof(FrameInfo) },
        { "model", typeof(ModelInfo) },
        { "evidence", typeof(EvidenceRef) },
    };

    [Theory]
    [MemberData(nameof(Definitions))]
    public void SchemaDefinition_MatchesContract_RequiredAndPropertyNames(string definition, Type type)
    {
        var node = definition.Length == 0 ? Schema : Schema["$defs"]![definition]!.AsObject();
        var info = EdgeAiJsonContext.Default.GetTypeInfo(type)!;

        var schemaRequired = node["required"]!.AsArray().Select(n => (string)n!).Order().ToArray();
        var schemaProperties = node["properties"]!.AsObject().Select(p => p.Key).Order().ToArray();
        var contractRequired = info.Properties.Where(IsRequired).Select(p => p.Name).Order().ToArray();
        var contractProperties = info.Properties.Select(p => p.Name).Order().ToArray();

        Assert.Equal(contractRequired, schemaRequired);
        Assert.Equal(contractProperties, schemaProperties);
    }

    // `required` members and constructor parameters without a default value.
    private static bool IsRequired(JsonPropertyInfo p) => p.IsRequired;

    [Fact]
    public void Schema_Draft202012AndMajorVersionOne()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Schema["$schema"]);
        Assert.Equal(@"^1\.[0-9]{1,3}$", (string?)Schema["properties"]!["schema_version"]!["pattern"]);
        Assert.Equal(Scenarios.All, Schema["properties"]!["scenario"]!["enum"]!.AsArray().Select(n => (string)n!));
    }
}
