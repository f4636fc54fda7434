using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Scenarios;

namespace EdgeAi.Worker.Tests.Pipeline;

/// <summary>The service's analytics stage on its own: frames in (on their capture clock), events out to a recording sink.</summary>
public sealed class ScenarioAnalyticsTests : IDisposable
{
    private static readonly DateTimeOffset Clip = new(2020, 3, 1, 8, 0, 0, TimeSpan.Zero);   // a clip's clock, far from now
    private readonly string _dir = TestPaths.NewTempDir("scenario-analytics");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Recording : IEventSink
    {
        public List<EdgeEvent> Events { get; } = [];

        public ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct)
        {
            Events.Add(evt);
            return ValueTask.CompletedTask;
        }
    }

    private static AnalysedFrame Frame(long sequence, DateTimeOffset capture, params Detection.Detection[] detections)
    {
        var geometry = new LetterboxGeometry(64, 64, 64, 64, 0, 0);
        return new AnalysedFrame(new Frame("cam-1", sequence, capture, 0, System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 64 * 3), 64 * 64 * 3, geometry, 64, 64), detections, "tiny");
    }

    private static Detection.Detection Person(float x) => new(0, "person", 0.9f, new BoxF(x, 0.4f, x + 0.05f, 0.6f));

    [Fact]
    public async Task CompleteAsync_EpisodeOpen_EndsItAtTheLastFramesCaptureTime()
    {
        var camera = new CameraConfig
        {
            Id = "cam-1", Url = "rtsp://127.0.0.1:1/x",
            Scenarios = new ScenarioConfig
            {
                Zones = [new ZoneConfig { Id = "plaza", Type = ZoneTypes.Plaza, Polygon = [[0, 0], [1, 0], [1, 1], [0, 1]] }],
                Crowding = new CrowdingRuleConfig { MinPersons = 2, MinDuration = TimeSpan.FromSeconds(2), PrivacyBlur = false },
                Litter = new LitterRuleConfig { Enabled = false },
            },
        };
        var sink = new Recording();
        var analytics = new ScenarioAnalytics("edge-1", camera, camera.Scenarios, new ModelInfo("tiny", "1", "sha"),
            new EvidenceStore(new EvidenceStoreOptions { Directory = _dir }), null, sink);

        var last = Clip;
        for (var i = 0; i < 10; i++)
        {
            last = Clip.AddSeconds(i);
            await analytics.ProcessAsync(Frame(i, last, Person(0.2f), Person(0.6f)), CancellationToken.None);
        }
        Assert.Contains(sink.Events, e => e.Type == EventType.Started);
        Assert.DoesNotContain(sink.Events, e => e.Type == EventType.Ended);

        await analytics.CompleteAsync(CancellationToken.None);

        var ended = Assert.Single(sink.Events, e => e.Type == EventType.Ended);
        Assert.Equal(last, ended.DetectionTime);   // the clip's clock, not the wall clock at shutdown
    }
}
