using System.Text.Json;
using EdgeAi.Central.Incidents;
using EdgeAi.Models.Events;
using EdgeAi.Models;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>Valid v1 events for tests.</summary>
internal static class TestEvents
{
    /// <summary>A reference point (Shanghai, People's Square).</summary>
    public const double Lat = 31.2304, Lon = 121.4737;

    public static EdgeEvent Make(
        string device, string camera, (double Lat, double Lon) at, string scenario, Guid episode, EventType type, long sequence,
        DateTimeOffset time, double[]? box = null, IReadOnlyList<EvidenceRef>? evidence = null) => new()
    {
        SchemaVersion = EdgeEventSchema.CurrentVersion,
        EventId = UuidV7.New(),
        EpisodeId = episode,
        Type = type,
        Sequence = sequence,
        DeviceId = device,
        Camera = new CameraInfo(camera, $"camera {camera}", at.Lat, at.Lon),
        Scenario = scenario,
        Zone = new ZoneInfo("zone-1", "plaza", "plaza"),
        Rule = new RuleEvaluation(scenario + "-rule", new Dictionary<string, double> { ["min_duration_s"] = 10 }, new Dictionary<string, double> { ["duration_s"] = 12 }),
        Objects = [new DetectedObject("person", 0.9, box ?? [0.4, 0.4, 0.6, 0.6])],
        Frame = new FrameInfo(time, 1920, 1080),
        DetectionTime = time,
        Model = new ModelInfo("demo", "1.0", new string('a', 64)),
        Evidence = evidence ?? [],
    };

    public static byte[] Json(EdgeEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, EdgeAiJsonContext.Default.EdgeEvent);

    public static (double Lat, double Lon) Offset(double north, double east) => Geo.Offset(Lat, Lon, north, east);

    /// <summary>Bytes that sniff as MP4 (an ISO BMFF ftyp box first) plus random padding: a stand-in clip of <paramref name="size"/> bytes.</summary>
    public static byte[] Mp4(int size = 1 << 20)
    {
        var b = new byte[size];
        new Random(size).NextBytes(b);
        ReadOnlySpan<byte> ftyp = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m'];
        ftyp.CopyTo(b);
        return b;
    }

    public static string Sha256(byte[] b) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b));

    /// <summary>The smallest valid JPEG header bytes plus padding: enough for content sniffing.</summary>
    public static byte[] Jpeg(int size = 2048)
    {
        var b = new byte[size];
        b[0] = 0xFF; b[1] = 0xD8; b[2] = 0xFF; b[3] = 0xE0;
        new Random(size).NextBytes(b.AsSpan(4, size - 6));
        b[^2] = 0xFF; b[^1] = 0xD9;
        return b;
    }
}
