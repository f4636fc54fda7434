using System.Text;
using System.Text.Json.Nodes;
using EdgeAi.Models.Events;

namespace EdgeAi.Models.Tests.Events;

public sealed class EdgeEventParserTests
{
    private static string Reject(byte[] payload)
    {
        Assert.False(EdgeEventParser.TryParse(payload, out var evt, out var reason), "payload was accepted");
        Assert.Null(evt);
        return reason;
    }

    private static string Reject(Action<JsonObject> mutate) => Reject(SampleEvents.Mutated(mutate));

    [Fact]
    public void TryParse_SerializedEvent_RoundTripsEqual()
    {
        var original = SampleEvents.Crowding();
        var json = SampleEvents.Json(original);

        Assert.True(EdgeEventParser.TryParse(json, out var parsed, out var reason), reason);
        // Records compare collections by reference: compare the re-serialised form instead.
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(SampleEvents.Json(parsed)));
        Assert.Equal(original.EventId, parsed.EventId);
        Assert.Equal(11, parsed.Rule.Measured["persons"]);
        Assert.Equal(0.15, parsed.Objects[0].Box[2]);
        Assert.Equal(original.Camera, parsed.Camera);
    }

    [Fact]
    public void Serialize_Event_UsesSnakeCaseAndStringEnums()
    {
        var json = JsonNode.Parse(SampleEvents.Json(SampleEvents.Crowding()))!.AsObject();

        Assert.Equal("started", (string?)json["type"]);
        Assert.Equal("31010400001320000001", (string?)json["camera"]!["gb28181_id"]);
        Assert.Equal(420.5, (double?)json["zone"]!["area_m2"]);
        Assert.Equal("image/jpeg", (string?)json["evidence"]![0]!["content_type"]);
        Assert.NotNull(json["detection_time"]);
        Assert.Equal(8, (double?)json["rule"]!["parameters"]!["min_persons"]);
    }

    [Fact]
    public void TryParse_UnknownExtraFields_Tolerated()
    {
        var payload = SampleEvents.Mutated(j =>
        {
            j["schema_version"] = "1.7";
            j["future_field"] = new JsonObject { ["nested"] = new JsonArray(1, 2, 3) };
            j["camera"]!["vendor"] = "hik";
            j["objects"]![0]!["mask_rle"] = "abc";
        });

        Assert.True(EdgeEventParser.TryParse(payload, out var evt, out var reason), reason);
        Assert.Equal("1.7", evt.SchemaVersion);
    }

    [Fact]
    public void TryParse_OptionalFieldsAbsentOrNull_Accepted()
    {
        var payload = SampleEvents.Mutated(j =>
        {
            j.Remove("publish_time");
            j.Remove("evidence");
            j["camera"]!.AsObject().Remove("gb28181_id");
            j["zone"]!["name"] = null;
            j["objects"]![0]!["track_id"] = null;
        });

        Assert.True(EdgeEventParser.TryParse(payload, out var evt, out var reason), reason);
        Assert.Empty(evt.Evidence);
        Assert.Null(evt.PublishTime);
        Assert.Null(evt.Camera.Gb28181Id);
    }

    [Fact]
    public void TryParse_UnknownMajorVersion_RejectedWithVersionReason()
    {
        // A v2 payload may look entirely different: the version is judged before any field.
        var reason = Reject(Encoding.UTF8.GetBytes("""{"schema_version":"2.0","something":"else"}"""));

        Assert.Equal("unsupported schema major version 2 (supported: 1)", reason);
    }

    [Theory]
    [InlineData("1", "schema_version '1' is not 'major.minor'")]
    [InlineData("v1.0", "schema_version 'v1.0' is not 'major.minor'")]
    [InlineData("1.0.0", "schema_version '1.0.0' is not 'major.minor'")]
    [InlineData("0.9", "unsupported schema major version 0 (supported: 1)")]
    public void TryParse_BadSchemaVersion_Rejected(string version, string expected) =>
        Assert.Equal(expected, Reject(j => j["schema_version"] = version));

    [Theory]
    [InlineData("schema_version", "missing required field 'schema_version'")]
    [InlineData("event_id", "missing required field 'event_id'")]
    [InlineData("type", "missing required field 'type'")]
    [InlineData("sequence", "missing required field 'sequence'")]
    [InlineData("device_id", "missing required field 'device_id'")]
    [InlineData("camera", "missing required field 'camera'")]
    [InlineData("scenario", "missing required field 'scenario'")]
    [InlineData("objects", "missing required field 'objects'")]
    [InlineData("frame", "missing required field 'frame'")]
    [InlineData("detection_time", "missing required field 'detection_time'")]
    [InlineData("model", "missing required field 'model'")]
    public void TryParse_MissingRequiredField_RejectedNamingIt(string field, string expected) =>
        Assert.Equal(expected, Reject(j => j.Remove(field)));

    [Fact]
    public void TryParse_MissingNestedField_RejectedWithPath()
    {
        Assert.Equal("missing required field 'camera.lat'", Reject(j => j["camera"]!.AsObject().Remove("lat")));
        Assert.Equal("missing required field 'objects[1].box'", Reject(j => j["objects"]![1]!.AsObject().Remove("box")));
        Assert.Equal("missing required field 'rule.measured'", Reject(j => j["rule"]!.AsObject().Remove("measured")));
    }

    [Fact]
    public void TryParse_NullRequiredField_RejectedAsMissing() =>
        Assert.Equal("missing required field 'device_id'", Reject(j => j["device_id"] = null));

    public static TheoryData<string, Action<JsonObject>> WrongTypes => new()
    {
        { "field 'sequence' must be an integer", j => j["sequence"] = "42" },
        { "field 'sequence' must be an integer", j => j["sequence"] = 4.5 },
        { "field 'device_id' must be a string", j => j["device_id"] = 7 },
        { "field 'event_id' must be a UUID string", j => j["event_id"] = "not-a-uuid" },
        { "field 'type' must be one of started, updated, ended", j => j["type"] = "begun" },
        { "field 'camera' must be an object", j => j["camera"] = "cam-1" },
        { "field 'camera.lat' must be a number", j => j["camera"]!["lat"] = "31.2" },
        { "field 'objects' must be an array", j => j["objects"] = new JsonObject() },
        { "field 'objects[0]' must be an object", j => j["objects"]![0] = 5 },
        { "field 'objects[1].confidence' must be a number", j => j["objects"]![1]!["confidence"] = true },
        { "field 'objects[0].box[3]' must be a number", j => j["objects"]![0]!["box"]![3] = "0.4" },
        { "field 'rule.parameters.min_persons' must be a number", j => j["rule"]!["parameters"]!["min_persons"] = "8" },
        { "field 'frame.width' must be an integer", j => j["frame"]!["width"] = 1920.5 },
        { "field 'detection_time' must be an ISO 8601 date-time string", j => j["detection_time"] = "yesterday" },
        { "field 'evidence[0].bytes' must be an integer", j => j["evidence"]![0]!["bytes"] = "48213" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void TryParse_WrongType_RejectedNamingFieldAndType(string expected, Action<JsonObject> mutate) =>
        Assert.Equal(expected, Reject(mutate));

    public static TheoryData<string, Action<JsonObject>> OutOfRange => new()
    {
        { "objects[0].confidence must be between 0 and 1", j => j["objects"]![0]!["confidence"] = 1.01 },
        { "objects[1].box must have 4 numbers", j => j["objects"]![1]!["box"] = new JsonArray(0.1, 0.2, 0.3) },
        { "objects[0].box values must be between 0 and 1", j => j["objects"]![0]!["box"]![2] = 1.5 },
        { "objects[0].box must have x1 < x2 and y1 < y2", j => j["objects"]![0]!["box"] = new JsonArray(0.5, 0.2, 0.4, 0.6) },
        { "camera.lat must be between -90 and 90", j => j["camera"]!["lat"] = 91 },
        { "camera.lon must be between -180 and 180", j => j["camera"]!["lon"] = -180.5 },
        { "camera.gb28181_id must be 20 digits", j => j["camera"]!["gb28181_id"] = "3101040000132000000X" },
        { "scenario 'parking' is not one of litter, road_collapse, illegal_fishing, crowding", j => j["scenario"] = "parking" },
        { "sequence must be >= 1", j => j["sequence"] = 0 },
        { "event_id must be a UUIDv7", j => j["event_id"] = "6f9619ff-8b86-4d01-b42d-00cf4fc964ff" },
        { "device_id must be 1-64 characters of [A-Za-z0-9._-]", j => j["device_id"] = "edge/01" },
        { "camera.name must be 0-128 characters", j => j["camera"]!["name"] = new string('x', 129) },
        { "model.sha256 must be 64 lower-case hex digits", j => j["model"]!["sha256"] = new string('A', 64) },
        { "frame.height must be between 1 and 16384", j => j["frame"]!["height"] = 0 },
        { "evidence[0].id must be 1-64 characters of [A-Za-z0-9._-]", j => j["evidence"]![0]!["id"] = "../../etc/passwd" },
        { "rule.parameters has more than 32 entries", j => { for (var i = 0; i < 33; i++) j["rule"]!["parameters"]![$"p{i}"] = i; } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void TryParse_ValueOutOfRange_RejectedWithRule(string expected, Action<JsonObject> mutate) =>
        Assert.Equal(expected, Reject(mutate));

    [Fact]
    public void TryParse_Oversized_RejectedBeforeParsing()
    {
        var payload = SampleEvents.Mutated(j => j["padding"] = new string('x', EdgeEventSchema.MaxPayloadBytes));

        Assert.Equal($"payload too large: {payload.Length} bytes (max 262144)", Reject(payload));
    }

    [Fact]
    public void TryParse_HugeStringWithinSizeLimit_RejectedByLengthCap() =>
        Assert.Equal("zone.type must be 1-64 characters", Reject(j => j["zone"]!["type"] = new string('x', 200_000)));

    [Fact]
    public void TryParse_InvalidUtf8_Rejected()
    {
        var payload = SampleEvents.Json(SampleEvents.Crowding());
        var at = Encoding.UTF8.GetString(payload).IndexOf("edge-01", StringComparison.Ordinal);
        payload[at] = 0xC3;       // lead byte of a two-byte sequence ...
        payload[at + 1] = 0x28;   // ... followed by a non-continuation byte

        Assert.Equal("payload is not valid UTF-8", Reject(payload));
    }

    [Fact]
    public void TryParse_DeepNesting_Rejected()
    {
        var deep = new string('[', 100) + new string(']', 100);
        var payload = Encoding.UTF8.GetBytes($$"""{"schema_version":"1.0","x":{{deep}}}""");

        Assert.Equal("JSON nested deeper than 32 levels", Reject(payload));
    }

    [Fact]
    public void TryParse_NestingAtTheLimit_NotRejectedForDepth()
    {
        // Root object (level 1) + 31 arrays = 32 levels: allowed, so the reason is about the content instead.
        var payload = Encoding.UTF8.GetBytes($$"""{"schema_version":"1.0","x":{{new string('[', 31)}}{{new string(']', 31)}}}""");

        Assert.Equal("missing required field 'event_id'", Reject(payload));
    }

    [Theory]
    [InlineData("""{"schema_version":"1.0",""", "malformed JSON at line 1, byte 23")]
    [InlineData("""{"a":1} trailing""", "malformed JSON at line 1, byte 8")]
    [InlineData("", "payload is empty")]
    [InlineData("[1,2]", "payload is not a JSON object")]
    [InlineData("null", "payload is not a JSON object")]
    public void TryParse_NotAnEventObject_Rejected(string text, string expected) =>
        Assert.Equal(expected, Reject(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void TryParse_Truncated_RejectedAsMalformed()
    {
        var json = SampleEvents.Json(SampleEvents.Crowding());

        Assert.StartsWith("malformed JSON at line 1, byte ", Reject(json[..(json.Length / 2)]));
    }
}
