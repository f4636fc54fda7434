using EdgeAi.Configuration;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Tests.Configuration;

public sealed class WorkerConfigLoaderTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("cfg");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Manifest => TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json");

    private string Write(string json)
    {
        var file = Path.Combine(_dir, "edgeai.json");
        File.WriteAllText(file, json);
        return file;
    }

    private string Minimal(string cameras) => Write($$"""
        {
          "device_id": "edge-1",
          "models": [ { "id": "demo", "manifest": "{{Manifest}}" } ],
          "cameras": {{cameras}}
        }
        """);

    [Fact]
    public void Load_EvidenceFullResolution_OnByDefaultAndOffWhenSaid()
    {
        var defaults = WorkerConfigLoader.Load(Minimal("""[ { "id": "cam-1", "url": "rtsp://h/cam" } ]"""), _ => null);
        Assert.True(defaults.Evidence.FullResolution);
        var off = WorkerConfigLoader.Load(Write($$"""
            {
              "device_id": "edge-1",
              "models": [ { "id": "demo", "manifest": "{{Manifest}}" } ],
              "evidence": { "directory": "ev", "full_resolution": false },
              "cameras": [ { "id": "cam-1", "url": "rtsp://h/cam" } ]
            }
            """), _ => null);
        Assert.False(off.Evidence.FullResolution);
        Assert.True(WorkerConfigLoader.Load(TestPaths.InRepo("config", "edgeai.sample.json"), _ => null).Evidence.FullResolution);
    }

    [Fact]
    public void Load_EvidenceBlurClasses_PersonByDefault_FacesAndPlatesWhenSaid_EmptyNameRefused()
    {
        Assert.Equal(["person"], WorkerConfigLoader.Load(Minimal("""[ { "id": "cam-1", "url": "rtsp://h/cam" } ]"""), _ => null).Evidence.BlurClasses);
        string With(string classes) => Write($$"""
            {
              "device_id": "edge-1",
              "models": [ { "id": "demo", "manifest": "{{Manifest}}" } ],
              "evidence": { "directory": "ev", "blur_classes": {{classes}} },
              "cameras": [ { "id": "cam-1", "url": "rtsp://h/cam" } ]
            }
            """);
        Assert.Equal(["person", "face", "license_plate"], WorkerConfigLoader.Load(With("""["person", "face", "license_plate"]"""), _ => null).Evidence.BlurClasses);
        var ex = Assert.Throws<ConfigException>(() => WorkerConfigLoader.Load(With("""["person", ""]"""), _ => null));
        Assert.Contains("evidence.blur_classes: class names must not be empty", string.Join("\n", ex.Errors));
    }

    [Fact]
    public void Load_SampleConfig_HasDocumentedValues()
    {
        var c = WorkerConfigLoader.Load(TestPaths.InRepo("config", "edgeai.sample.json"), _ => null);

        Assert.Equal("edge-box-01", c.DeviceId);
        Assert.Equal(2, c.Cameras.Count);
        Assert.Equal("http://127.0.0.1:8090", c.Http.Url);
        Assert.Equal(Manifest, c.Models[0].Manifest);   // made absolute, relative to the config file
        Assert.Equal(TimeSpan.FromSeconds(20), c.Cameras[1].Scenarios.Crowding.MinDuration);
    }

    [Fact]
    public void Load_ModelSpinWait_OffByDefaultOnWhenSet()
    {
        Assert.False(WorkerConfigLoader.Load(Minimal("[]"), _ => null).Models[0].SpinWait);
        var file = Write($$"""
            { "device_id": "edge-1", "models": [ { "id": "demo", "manifest": "{{Manifest}}", "spin_wait": true } ], "cameras": [] }
            """);
        Assert.True(WorkerConfigLoader.Load(file, _ => null).Models[0].SpinWait);
    }

    [Fact]
    public void Load_ZoneRuleSection_InheritsTheCameraLevelRule()
    {
        var file = Minimal("""
            [ { "id": "cam-1", "url": "rtsp://h/cam", "scenarios": {
                  "zones": [ { "id": "bank", "type": "bank", "polygon": [[0,0],[1,0],[1,1]],
                               "illegal_fishing": { "min_duration": "00:00:45" } } ],
                  "illegal_fishing": { "gear_min_confidence": 0.5, "ban_schedule": { "daily_hours": ["20:00-06:00"] } } } } ]
            """);

        var zone = WorkerConfigLoader.Load(file, _ => null).Cameras[0].Scenarios.Zones[0].IllegalFishing!;

        Assert.Equal(TimeSpan.FromSeconds(45), zone.MinDuration);        // its own key
        Assert.Equal(0.5, zone.GearMinConfidence);                        // inherited from the camera
        Assert.Equal(["20:00-06:00"], zone.BanSchedule.DailyHours);       // nested section inherited
    }

    [Fact]
    public void Load_CameraScenarios_ListsReplaceDefaultsAndZoneRulesInherit()
    {
        var file = Minimal("""
            [ { "id": "cam-1", "url": "rtsp://h/cam", "scenarios": {
                  "zones": [
                    { "id": "plaza", "type": "plaza", "name": "North plaza", "area_m2": 420,
                      "polygon": [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]],
                      "crowding": { "min_persons": 5 } },
                    { "id": "bank", "type": "bank", "polygon": [[0, 0.3], [1, 0.3], [1, 0.6]],
                      "illegal_fishing": { "ban_schedule": { "daily_hours": ["05:00-09:00", "17:00-21:00"] } } } ],
                  "crowding": { "min_duration": "00:00:30", "zone_types": ["plaza"] },
                  "illegal_fishing": { "min_duration": "00:01:00", "ban_schedule": { "date_ranges": ["04-01..07-31"], "time_zone": "Asia/Shanghai" } },
                  "litter": { "enabled": false } } } ]
            """);

        var config = WorkerConfigLoader.Load(file, _ => null).Cameras[0].Scenarios;

        Assert.Equal(2, config.Zones.Count);
        var plaza = config.Zones[0];
        Assert.Equal(("plaza", "plaza", "North plaza", 420.0), (plaza.Id, plaza.Type, plaza.Name!, plaza.AreaM2!.Value));
        Assert.Equal([0.9, 1.0], plaza.Polygon[2]);
        // Camera level: lists replace the defaults, not appended to them.
        Assert.Equal(["plaza"], config.Crowding.ZoneTypes);
        Assert.Equal((TimeSpan.FromSeconds(30), 8), (config.Crowding.MinDuration, config.Crowding.MinPersons));
        Assert.False(config.Litter.Enabled);
        Assert.Equal(["04-01..07-31"], config.IllegalFishing.BanSchedule.DateRanges);
        Assert.Empty(config.IllegalFishing.BanSchedule.DailyHours);
        // Zone level: only the keys given differ from the camera's rule.
        Assert.Equal((5, TimeSpan.FromSeconds(30)), (plaza.Crowding!.MinPersons, plaza.Crowding.MinDuration));
        var zoneFishing = config.Zones[1].IllegalFishing!;
        Assert.Equal(["05:00-09:00", "17:00-21:00"], zoneFishing.BanSchedule.DailyHours);
        Assert.Equal(["04-01..07-31"], zoneFishing.BanSchedule.DateRanges);
        Assert.Equal(TimeSpan.FromMinutes(1), zoneFishing.MinDuration);
        Assert.Null(config.Zones[1].Crowding);

        var engine = new Worker.Scenarios.ScenarioEngine("cam-1", config);
        Assert.Equal(["crowding@plaza", "illegal_fishing@bank"], engine.Rules.Select(r => $"{r.Scenario}@{r.Zone.Id}"));
    }

    [Fact]
    public void Load_RtspCredentialsFromEnvironment_PutIntoTheUrlOnly()
    {
        var file = Minimal("""[ { "id": "cam-01", "url": "rtsp://10.0.0.5:554/s1" }, { "id": "cam-02", "url": "rtsp://10.0.0.6/s1" } ]""");
        var env = new Dictionary<string, string>
        {
            ["EDGEAI_RTSP_USERNAME"] = "viewer",
            ["EDGEAI_RTSP_PASSWORD"] = "p@ss:word",
            ["EDGEAI_RTSP_PASSWORD_CAM_02"] = "other",
            ["EDGEAI_MQTT_PASSWORD"] = "mqtt-secret",
        };

        var c = WorkerConfigLoader.Load(file, env.GetValueOrDefault);

        Assert.Equal("rtsp://viewer:p%40ss%3Aword@10.0.0.5:554/s1", c.Cameras[0].Url);
        Assert.Equal("rtsp://viewer:other@10.0.0.6/s1", c.Cameras[1].Url);
        Assert.Equal("rtsp://***@10.0.0.5:554/s1", c.Cameras[0].SafeUrl);
        Assert.Equal("mqtt-secret", c.Mqtt.Password);
    }

    [Fact]
    public void Load_SecretFromFile_ReadsTheFile()
    {
        var secret = Path.Combine(_dir, "mqtt.pw");
        File.WriteAllText(secret, "from-file\n");
        var file = Minimal("[]");

        var c = WorkerConfigLoader.Load(file, name => name == "EDGEAI_MQTT_PASSWORD_FILE" ? secret : null);

        Assert.Equal("from-file", c.Mqtt.Password);
    }

    [Fact]
    public void Load_ModelExecutionProvider_CpuByDefaultTensorRtOnGpuOneWhenSet()
    {
        var m = WorkerConfigLoader.Load(Minimal("[]"), _ => null).Models[0];
        Assert.Equal((ExecutionProvider.Cpu, 0), (m.ExecutionProvider, m.GpuDeviceId));
        var file = Write($$"""
            { "device_id": "edge-1", "models": [ { "id": "demo", "manifest": "{{Manifest}}", "execution_provider": "tensorrt", "gpu_device_id": 1 } ], "cameras": [] }
            """);
        m = WorkerConfigLoader.Load(file, _ => null).Models[0];
        Assert.Equal((ExecutionProvider.TensorRt, 1), (m.ExecutionProvider, m.GpuDeviceId));
    }

    [Fact]
    public void Check_UnknownExecutionProviderAndNegativeGpu_BothRefusedWithTheChoices()
    {
        var file = Write($$"""
            { "device_id": "edge-1",
              "models": [ { "id": "demo", "manifest": "{{Manifest}}", "execution_provider": "gpu", "gpu_device_id": -1 } ], "cameras": [] }
            """);
        var errors = WorkerConfigLoader.Check(file);
        Assert.Contains(errors, e => e.Contains("models[0].execution_provider: 'gpu' must be one of cpu, cuda, tensorrt"));
        Assert.Contains(errors, e => e.Contains("models[0].gpu_device_id: -1 must be 0..63"));
    }

    [Fact]
    public void Load_DurationsWithUnitsInTheirKeys_ReadAsTimeSpans()
    {
        var file = Write($$"""
            { "device_id": "edge-1", "health_interval_s": 2.5, "outbox": { "max_age_hours": 12 },
              "watchdog": { "pipeline_stall_s": 90, "delivery_stall_s": 600 },
              "recording": { "segment_s": 2, "ring_s": 120, "clip_pre_s": 5, "clip_post_s": 30, "clip_store_max_age_hours": 0.5 },
              "models": [ { "id": "demo", "manifest": "{{Manifest}}", "batch_wait_ms": 7.5 } ], "cameras": [] }
            """);

        var c = WorkerConfigLoader.Load(file, _ => null);

        Assert.Equal(TimeSpan.FromSeconds(2.5), c.HealthInterval);
        Assert.Equal(TimeSpan.FromHours(12), c.Outbox.MaxAge);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(10)), (c.Watchdog.PipelineStall, c.Watchdog.DeliveryStall));
        Assert.Equal(TimeSpan.FromMilliseconds(7.5), c.Models[0].BatchWait);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)],
            [c.Recording.SegmentLength, c.Recording.RingLength, c.Recording.ClipPreRoll, c.Recording.ClipPostRoll, c.Recording.ClipStoreMaxAge]);
        var defaults = WorkerConfigLoader.Load(Minimal("[]"), _ => null);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromDays(7), TimeSpan.FromMilliseconds(20)),
            (defaults.HealthInterval, defaults.Outbox.MaxAge, defaults.Models[0].BatchWait));
    }

    [Fact]
    public void Check_DurationWithUnitAsStringOrOutOfRange_RefusedNamingTheUnit()
    {
        var file = Write($$"""
            { "device_id": "edge-1",
              "health_interval_s": "00:00:05",
              "outbox": { "max_age_hours": 1e300 },
              "models": [ { "id": "demo", "manifest": "{{Manifest}}", "batch_wait_ms": 2000 } ], "cameras": [] }
            """);

        var errors = WorkerConfigLoader.Check(file);

        Assert.Equal(3, errors.Count);
        Assert.Equal($"{file}:2: health_interval_s: must be a number of seconds, got a string (\"00:00:05\")", errors[0]);
        Assert.Equal($"{file}:3: outbox.max_age_hours: 1e300 hours is out of range", errors[1]);
        Assert.Equal($"{file}:4: models[0].batch_wait_ms: 2000 must be 0..1000", errors[2]);
    }

    [Fact]
    public void Load_ModesAsEnums_ReadFromTheirSnakeCaseNames()
    {
        var file = Write($$"""
            { "device_id": "edge-1", "recording": { "delivery": "blurred" },
              "models": [ { "id": "demo", "manifest": "{{Manifest}}" } ],
              "cameras": [ { "id": "cam-1", "url": "rtsp://h/cam", "hwaccel": "vaapi", "decode": { "mode": "all", "fps": 2 } },
                           { "id": "cam-2", "url": "rtsp://h/cam2" } ] }
            """);

        var c = WorkerConfigLoader.Load(file, _ => null);

        Assert.Equal((DecodeMode.All, Hwaccel.Vaapi), (c.Cameras[0].Decode.Mode, c.Cameras[0].Hwaccel));
        Assert.Equal((DecodeMode.Keyframes, Hwaccel.None), (c.Cameras[1].Decode.Mode, c.Cameras[1].Hwaccel));
        Assert.Equal(Worker.Recording.ClipDelivery.Blurred, c.Recording.Delivery);
    }

    [Fact]
    public void Check_UnknownOrWronglyTypedMode_RefusedWithTheAllowedValues()
    {
        var file = Write($$"""
            { "device_id": "edge-1",
              "models": [ { "id": "demo", "manifest": "{{Manifest}}" } ],
              "cameras": [ { "id": "cam-1", "url": "rtsp://h/cam", "decode": { "mode": "All" },
                             "hwaccel": 1 } ] }
            """);

        var errors = WorkerConfigLoader.Check(file);

        Assert.Equal(
            [$"{file}:3: cameras[0].decode.mode: 'All' must be keyframes or all",
             $"{file}:4: cameras[0].hwaccel: must be \"none\", \"cuda\" or \"vaapi\", got a number (1)"], errors);
    }

    [Fact]
    public void Load_NoCameras_IsValid() => Assert.Empty(WorkerConfigLoader.Load(Minimal("[]"), _ => null).Cameras);

    [Fact]
    public void Check_NotJson_SaysWhereParsingStopped()
    {
        var file = Write("{\n  \"device_id\": \"x\",\n  \"models\": [ }\n");
        var error = Assert.Single(WorkerConfigLoader.Check(file));
        Assert.StartsWith($"{file}:3: not valid JSON", error);
    }
}
