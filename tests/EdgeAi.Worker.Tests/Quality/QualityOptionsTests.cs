using EdgeAi.Configuration;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Quality;

namespace EdgeAi.Worker.Tests.Quality;

public sealed class QualityOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors() => Assert.Empty(new QualityOptions().Validate("quality"));

    [Fact]
    public void Load_ConfigWithBadQualityValues_EveryErrorWithKeyPath()
    {
        var dir = TestPaths.NewTempDir("qcfg");
        try
        {
            var manifest = TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json");
            var file = Path.Combine(dir, "worker.json");
            File.WriteAllText(file, $$"""
                {
                  "device_id": "edge-01",
                  "models": [ { "id": "tiny", "manifest": "{{manifest}}" } ],
                  "quality": { "frozen_after": "00:00:00", "occlusion_fraction_min": 1.5 },
                  "cameras": [ { "id": "cam-1", "url": "rtsp://127.0.0.1/x", "quality": { "analysis_width": 8, "scene_change_frames": 0 } } ]
                }
                """);

            var ex = Assert.Throws<ConfigException>(() => WorkerConfigLoader.Load(file));

            Assert.Contains(ex.Errors, e => e.EndsWith("quality.frozen_after: 00:00:00 must be > 0 (a TimeSpan such as \"00:01:00\")", StringComparison.Ordinal));
            Assert.Contains(ex.Errors, e => e.EndsWith("quality.occlusion_fraction_min: 1.5 must be in (0, 1]", StringComparison.Ordinal));
            Assert.Contains(ex.Errors, e => e.EndsWith("cameras[0].quality.analysis_width: 8 must be 32..1024", StringComparison.Ordinal));
            Assert.Contains(ex.Errors, e => e.EndsWith("cameras[0].quality.scene_change_frames: 0 must be >= 1", StringComparison.Ordinal));
            Assert.Equal(4, ex.Errors.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Load_CameraQualitySection_ReplacesDeviceLevel()
    {
        var dir = TestPaths.NewTempDir("qcfg");
        try
        {
            var manifest = TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json");
            var file = Path.Combine(dir, "worker.json");
            File.WriteAllText(file, $$"""
                {
                  "device_id": "edge-01",
                  "models": [ { "id": "tiny", "manifest": "{{manifest}}" } ],
                  "quality": { "frozen_after": "00:02:00" },
                  "cameras": [ { "id": "a", "url": "rtsp://127.0.0.1/a" }, { "id": "b", "url": "rtsp://127.0.0.1/b", "quality": { "enabled": false } } ]
                }
                """);

            var config = WorkerConfigLoader.Load(file);

            Assert.Equal(TimeSpan.FromMinutes(2), config.Quality.FrozenAfter);
            Assert.Null(config.Cameras[0].Quality);
            Assert.False(config.Cameras[1].Quality!.Enabled);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
