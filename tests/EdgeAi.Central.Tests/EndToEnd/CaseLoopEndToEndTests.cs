using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Grids;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Models;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// The city's case loop through the real Central, broker and stand-in platform: review before filing (confirm,
/// dismiss, timeout), grids and routing on the filing, deadlines and escalation, the platform's evaluation, and
/// Open311's asynchronous token.
/// </summary>
public sealed class CaseLoopEndToEndTests
{
    /// <summary>Two grids side by side: G-A around the test cameras' origin, G-B to its east.</summary>
    internal static string TwoGrids()
    {
        static string Square(double lat0, double lon0, double lat1, double lon1) => string.Create(CultureInfo.InvariantCulture,
            $"[[[{lon0},{lat0}],[{lon1},{lat0}],[{lon1},{lat1}],[{lon0},{lat1}],[{lon0},{lat0}]]]");
        var (lat, lon) = (TestEvents.Lat, TestEvents.Lon);
        var a = Square(lat - 0.01, lon - 0.01, lat + 0.01, lon + 0.002);
        var b = Square(lat - 0.01, lon + 0.002, lat + 0.01, lon + 0.02);
        return "{\"type\":\"FeatureCollection\",\"features\":["
            + "{\"type\":\"Feature\",\"properties\":{\"code\":\"G-A\",\"name\":\"网格A\",\"street\":\"S-1\",\"community\":\"C-1\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + a + "}},"
            + "{\"type\":\"Feature\",\"properties\":{\"code\":\"G-B\",\"name\":\"网格B\",\"street\":\"S-1\",\"community\":\"C-2\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + b + "}}]}";
    }

    private static CentralOptions Loop(CentralOptions o, Func<ReviewSettings, ReviewSettings>? review = null, TimeSpan? litterDeadline = null) => o with
    {
        Review = (review ?? (r => r))(new ReviewSettings { Scenarios = new Dictionary<string, string> { [Scenarios.Litter] = "hold" }, CheckInterval = TimeSpan.FromMilliseconds(100) }),
        Grids = new GridSettings { File = "inline", Map = GridMap.Parse(TwoGrids()) },
        Routing = new RoutingSettings
        {
            Rules = [new RoutingRule(Scenarios.Litter, "G-A", null, null, "环卫所A"), new RoutingRule(null, null, "S-1", null, "街道办S-1")],
            Fallback = "指挥中心",
        },
        Supervision = new SupervisionSettings
        {
            Deadlines = new Dictionary<string, TimeSpan>(SupervisionSettings.DefaultDeadlines) { [Scenarios.Litter] = litterDeadline ?? TimeSpan.FromHours(2) },
            CheckInterval = TimeSpan.FromMilliseconds(100),
        },
    };

    private static async Task<JsonElement> OnlyCaseAsync(CentralHarness h, string? state = null)
    {
        JsonElement c = default;
        await Wait.UntilAsync(async () =>
        {
            var cases = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases");
            if (cases.GetArrayLength() != 1) return false;
            c = cases[0];
            return state is null || c.GetProperty("state").GetString() == state;
        }, $"one case{(state is null ? "" : " in state " + state)}", diagnostics: async () => await h.Api.GetStringAsync("/api/v1/cases"));
        return c;
    }

    private static async Task PublishAsync(CentralHarness h, string scenario, (double Lat, double Lon) at, string camera = "cam-1")
    {
        var device = await h.DeviceAsync("edge-01");
        await device.PublishAsync(TestEvents.Make("edge-01", camera, at, scenario, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Review_HeldCaseConfirmedWithEditedCategory_FiledWithGridDepartmentAndDeadline()
    {
        await using var h = await CentralHarness.StartAsync(o => Loop(o));
        await PublishAsync(h, Scenarios.Litter, TestEvents.Offset(0, 0));

        var held = await OnlyCaseAsync(h, "held");
        Assert.Equal("G-A", held.GetProperty("grid_code").GetString());
        Assert.Equal("环卫所A", held.GetProperty("department").GetString());
        Assert.Equal("hold", held.GetProperty("review").GetProperty("policy").GetString());
        Assert.False(held.TryGetProperty("deadline_at", out _));   // nulls are left out
        var id = held.GetProperty("case_id").GetString();
        var incident = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{held.GetProperty("incident_id").GetString()}");
        Assert.Equal("G-A", incident.GetProperty("incident").GetProperty("grid_code").GetString());
        Assert.Empty(h.Platform.Cases);

        var confirm = await h.Api.PostAsJsonAsync($"/api/v1/cases/{id}/review", new
        {
            action = "confirm", note = "seen on the image: a pile of bags", by = "operator-7",
            category = new { @class = "市容环境", subclass = "垃圾堆积", code = "0102" },
        });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var filed = await OnlyCaseAsync(h, "filed");
        Assert.Equal("垃圾堆积", filed.GetProperty("category").GetProperty("subclass").GetString());
        Assert.Equal("confirmed", filed.GetProperty("review").GetProperty("outcome").GetString());
        Assert.Equal("api:operator-7", filed.GetProperty("review").GetProperty("reviewed_by").GetString());
        var deadline = filed.GetProperty("deadline_at").GetDateTimeOffset();
        Assert.InRange(deadline - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(100), TimeSpan.FromMinutes(121));

        var platformCase = Assert.Single(h.Platform.Cases);
        using var body = JsonDocument.Parse(platformCase.Body);
        Assert.Equal("G-A", body.RootElement.GetProperty("grid").GetProperty("code").GetString());
        Assert.Equal("S-1", body.RootElement.GetProperty("grid").GetProperty("street").GetString());
        Assert.Equal("环卫所A", body.RootElement.GetProperty("department").GetString());
        Assert.Equal("0102", body.RootElement.GetProperty("category").GetProperty("code").GetString());
        Assert.True(body.RootElement.TryGetProperty("deadline", out _));

        // a second decision on the same case is refused
        var again = await h.Api.PostAsJsonAsync($"/api/v1/cases/{id}/review", new { action = "dismiss", reason = "duplicate" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Empty(h.Logs.Errors);
    }

    [Fact]
    public async Task Review_Dismissed_NeverFiledAndCountedByCameraRuleAndModel()
    {
        await using var h = await CentralHarness.StartAsync(o => Loop(o));
        // east of the border: grid G-B, routed by its street (the litter rule names G-A only); with an evidence image
        var device = await h.DeviceAsync("edge-01");
        var jpeg = TestEvents.Jpeg();
        var evidenceId = "ev-" + Guid.NewGuid().ToString("N")[..12];
        var e = TestEvents.Make("edge-01", "cam-9", TestEvents.Offset(0, 500), Scenarios.Litter, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow,
            box: [0.1, 0.2, 0.3, 0.4], evidence: [new EvidenceRef(evidenceId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg)), jpeg.Length, "image/jpeg")]);
        await device.PublishRawAsync(Topics.Evidence("edge-01", evidenceId), jpeg, "image/jpeg", UuidV7.ToBytes(e.EventId));
        await device.PublishAsync(e);
        var held = await OnlyCaseAsync(h, "held");
        Assert.Equal("G-B", held.GetProperty("grid_code").GetString());
        Assert.Equal("街道办S-1", held.GetProperty("department").GetString());
        var id = held.GetProperty("case_id").GetString();

        var bad = await h.Api.PostAsJsonAsync($"/api/v1/cases/{id}/review", new { action = "dismiss", reason = "because" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var noAction = await h.Api.PostAsJsonAsync($"/api/v1/cases/{id}/review", new { reason = "duplicate" });
        Assert.Equal(HttpStatusCode.BadRequest, noAction.StatusCode);
        var unknown = await h.Api.PostAsJsonAsync($"/api/v1/cases/{Guid.NewGuid()}/review", new { action = "dismiss", reason = "duplicate" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var dismiss = await h.Api.PostAsJsonAsync($"/api/v1/cases/{id}/review", new { action = "dismiss", reason = "false_detection", note = "a shadow" });
        Assert.Equal(HttpStatusCode.OK, dismiss.StatusCode);
        var dismissed = await OnlyCaseAsync(h, "dismissed");
        Assert.Equal("false_detection", dismissed.GetProperty("review").GetProperty("reason").GetString());

        var counts = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/review/counts");
        var row = Assert.Single(counts.EnumerateArray());
        Assert.Equal("edge-01", row.GetProperty("device_id").GetString());
        Assert.Equal("cam-9", row.GetProperty("camera_id").GetString());
        Assert.Equal("dismissed", row.GetProperty("outcome").GetString());
        Assert.Equal("false_detection", row.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("model").GetString()));
        Assert.False(string.IsNullOrEmpty(row.GetProperty("rule").GetString()));
        Assert.Equal(1, row.GetProperty("count").GetInt64());

        var confirm = await h.Api.PostAsJsonAsync($"/api/v1/cases/{id}/review", new { action = "confirm" });
        Assert.Equal(HttpStatusCode.Conflict, confirm.StatusCode);
        await Task.Delay(500);   // the dispatcher polls every 200 ms: nothing may reach the platform
        Assert.Empty(h.Platform.Cases);
        Assert.Equal(0, h.Platform.FilingRequests);
        var metrics = await h.Api.GetStringAsync("/metrics");
        Assert.Contains("edgeai_central_reviews_total", metrics);

        // export-feedback: the dismissed evidence with its label and box, once
        await Wait.UntilAsync(async () => await h.Store.GetEvidenceAsync(evidenceId, default) is not null, "the evidence stored");
        var dir = EdgeAi.Testing.TestPaths.NewTempDir("feedback");
        try
        {
            var exporter = new EdgeAi.Central.Cases.FeedbackExporter(h.Store);
            var summary = await exporter.ExportAsync(dir, null, default);
            Assert.Equal((1, 0, 1, 1), (summary.Cases, summary.Confirmed, summary.Dismissed, summary.Images));
            Assert.Equal(jpeg, await File.ReadAllBytesAsync(Path.Combine(dir, "images", evidenceId + ".jpg")));
            using var line = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(dir, "feedback.jsonl"))));
            Assert.Equal("dismissed", line.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("false_detection", line.RootElement.GetProperty("reason").GetString());
            Assert.Equal("cam-9", line.RootElement.GetProperty("camera_id").GetString());
            var obj = line.RootElement.GetProperty("objects")[0];
            Assert.Equal("person", obj.GetProperty("label").GetString());
            Assert.Equal([0.1, 0.2, 0.3, 0.4], obj.GetProperty("box").EnumerateArray().Select(x => x.GetDouble()).ToArray());
            Assert.Equal(0, (await exporter.ExportAsync(dir, null, default)).Images);   // again: nothing new
            Assert.Single(await File.ReadAllLinesAsync(Path.Combine(dir, "feedback.jsonl")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Review_NotReviewedInTime_TimeoutActionFilesIt_RecordOnlyIsKept()
    {
        await using var h = await CentralHarness.StartAsync(o => Loop(o, r => r with
        {
            Timeout = TimeSpan.FromSeconds(1),
            Scenarios = new Dictionary<string, string> { [Scenarios.Litter] = "hold", [Scenarios.Crowding] = "record" },
        }));
        await PublishAsync(h, Scenarios.Litter, TestEvents.Offset(0, 0));
        await PublishAsync(h, Scenarios.Crowding, TestEvents.Offset(5000, 0), "cam-2");

        JsonElement[] cases = [];
        await Wait.UntilAsync(async () =>
        {
            cases = (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases")).EnumerateArray().ToArray();
            return cases.Length == 2 && cases.Any(c => c.GetProperty("state").GetString() == "filed");
        }, "the held case filed by the timeout", diagnostics: async () => await h.Api.GetStringAsync("/api/v1/cases"));
        var filed = cases.Single(c => c.GetProperty("scenario").GetString() == Scenarios.Litter);
        Assert.Equal("filed", filed.GetProperty("state").GetString());
        Assert.Equal("timeout", filed.GetProperty("review").GetProperty("reviewed_by").GetString());
        var recorded = cases.Single(c => c.GetProperty("scenario").GetString() == Scenarios.Crowding);
        Assert.Equal("recorded", recorded.GetProperty("state").GetString());
        Assert.Equal("指挥中心", recorded.GetProperty("department").GetString());   // outside every grid: the fallback
        Assert.False(recorded.TryGetProperty("grid_code", out _));
        Assert.Single(h.Platform.Cases);
    }

    [Fact]
    public async Task Supervision_CasePastItsDeadline_EscalatedOnceAndPlatformNotified_EvaluationRecorded()
    {
        await using var h = await CentralHarness.StartAsync(o => Loop(o, r => r with { Scenarios = new Dictionary<string, string>() }, litterDeadline: TimeSpan.FromSeconds(1)));
        await PublishAsync(h, Scenarios.Litter, TestEvents.Offset(0, 0));
        var filed = await OnlyCaseAsync(h, "filed");
        JsonElement escalated = default;
        await Wait.UntilAsync(async () =>
        {
            escalated = await OnlyCaseAsync(h);
            return escalated.TryGetProperty("escalated_at", out _);
        }, "the case escalated");
        Assert.StartsWith("overdue", escalated.GetProperty("escalation").GetString());
        var platformCase = Assert.Single(h.Platform.Cases);
        await Wait.UntilAsync(() => platformCase.Notifications.Any(n => n.Status == "escalated"), "the escalation notified to the platform");
        Assert.Single(platformCase.Notifications, n => n.Status == "escalated");
        var stats = await h.Api.GetStringAsync("/metrics");
        Assert.Contains("edgeai_central_escalations_total", stats);

        // the platform closes the case with its evaluation (评价)
        Assert.Equal(200, await h.Platform.SetStatusAsync(platformCase.Id, "closed", "done", CancellationToken.None, "satisfied"));
        var closed = await OnlyCaseAsync(h, "closed");
        Assert.Equal("satisfied", closed.GetProperty("evaluation").GetString());
        Assert.Equal(JsonValueKind.String, closed.GetProperty("closed_at").ValueKind);
        Assert.Equal(filed.GetProperty("case_id").GetString(), closed.GetProperty("case_id").GetString());
    }

    [Fact]
    public async Task Open311_AsynchronousToken_ResolvedToServiceRequestIdAndPolled()
    {
        await using var h = await CentralHarness.StartAsync(
            o => o with { Platform = o.Platform with { Kind = PlatformKind.Open311, PollInterval = TimeSpan.FromMilliseconds(200) } },
            platformOptions: new TestPlatformOptions { Open311Async = true, TokenLookupsBeforeId = 2 });
        await PublishAsync(h, Scenarios.RoadCollapse, TestEvents.Offset(0, 0));

        var platformCase = await Task.Run(async () =>
        {
            await Wait.UntilAsync(() => h.Platform.Cases.Count == 1, "a service request on the platform");
            return h.Platform.Cases[0];
        });
        JsonElement c = default;
        await Wait.UntilAsync(async () =>
        {
            c = await OnlyCaseAsync(h);
            // the case is listed before the token resolves; until then it carries no platform_case_id
            return c.TryGetProperty("platform_case_id", out var id) && id.GetString() == platformCase.Id;
        }, "the token resolved to the service request id", diagnostics: async () => await h.Api.GetStringAsync("/api/v1/cases"));
        Assert.True(h.Platform.TokenLookups >= 3, $"token lookups: {h.Platform.TokenLookups}");
        var detail = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{c.GetProperty("case_id").GetString()}");
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("detail").GetString()?.Contains($"resolved to {platformCase.Id}") == true);

        // status polling by the resolved id: the platform closes the request, Central sees it resolved
        await h.Platform.SetStatusAsync(platformCase.Id, "resolved", "fixed", CancellationToken.None);
        await OnlyCaseAsync(h, "resolved");
        Assert.Empty(h.Logs.Errors);
    }

    [Fact]
    public async Task DeviceFault_CameraDownPastThreshold_AlertAndCaseToMaintenance_ClosedWhenRecovered()
    {
        await using var h = await CentralHarness.StartAsync(o => Loop(o) with
        {
            DeviceFaults = new DeviceFaultSettings { After = TimeSpan.FromSeconds(1), FileCases = true, CheckInterval = TimeSpan.FromMilliseconds(100) },
        });
        var device = await h.DeviceAsync("edge-01");
        async Task Health(string state, params string[] flags)
        {
            var health = new EdgeAi.Models.Devices.DeviceHealth("edge-01", DateTimeOffset.UtcNow, 12,
            [
                new EdgeAi.Models.Devices.CameraHealth("cam-ok", "streaming", 25, 1, 300, 12, 0, 0, 0.4, 0, 11, 20, "CPUExecutionProvider", []),
                new EdgeAi.Models.Devices.CameraHealth("cam-7", state, 25, 1, 300, 12, 0, 0, 0.4, 0, 11, 20, "CPUExecutionProvider", flags),
            ]);
            await device.PublishRawAsync(Topics.Health("edge-01"), JsonSerializer.SerializeToUtf8Bytes(health, EdgeAiJsonContext.Default.DeviceHealth), "application/json");
        }
        // the camera is known from an event (its location puts the fault case in grid G-A)
        await device.PublishAsync(TestEvents.Make("edge-01", "cam-7", TestEvents.Offset(0, 0), Scenarios.RoadCollapse, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));
        await Health("streaming", EdgeAi.Models.Devices.QualityFlagNames.Frozen);

        JsonElement fault = default;
        await Wait.UntilAsync(async () =>
        {
            var cases = (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases")).EnumerateArray().ToArray();
            fault = cases.FirstOrDefault(c => c.GetProperty("scenario").GetString() == "device_fault");
            return fault.ValueKind == JsonValueKind.Object && fault.GetProperty("state").GetString() == "filed";
        }, "a device-fault case filed", diagnostics: async () => await h.Api.GetStringAsync("/api/v1/cases"));
        Assert.Equal("设备故障", fault.GetProperty("category").GetProperty("subclass").GetString());
        Assert.Equal("设备运维", fault.GetProperty("department").GetString());
        Assert.Equal("G-A", fault.GetProperty("grid_code").GetString());
        Assert.Equal("cam-7", fault.GetProperty("camera_id").GetString());
        var metrics = await h.Api.GetStringAsync("/metrics");
        Assert.Contains("edgeai_central_camera_fault", metrics);
        Assert.Contains("cam-7", metrics);
        var platformCase = Assert.Single(h.Platform.Cases, c => c.Body.Contains("设备故障"));
        Assert.Contains("frozen", platformCase.Body);

        // still faulty at the next checks: no second case
        await Health("backoff");
        await Task.Delay(500);
        Assert.Single(h.Platform.Cases, c => c.Body.Contains("设备故障"));

        await Health("streaming");
        await Wait.UntilAsync(async () => (await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{fault.GetProperty("case_id").GetString()}"))
            .GetProperty("case").GetProperty("state").GetString() == "closed", "the device-fault case closed on recovery");
        await Wait.UntilAsync(() => platformCase.Notifications.Any(n => n.Status == "closed"), "the platform told");
        Assert.DoesNotContain("cam-7", await h.Api.GetStringAsync("/metrics"));
        Assert.Empty(h.Logs.Errors);
    }

    [Fact]
    public async Task Supervision_ReopenedByTheClosureCheck_EscalatedAfterNReopenings()
    {
        await using var h = await CentralHarness.StartAsync(o => Loop(o) with
        {
            Supervision = new SupervisionSettings { ReopenEscalateAfter = 1, CheckInterval = TimeSpan.FromMilliseconds(100) },
            Verification = o.Verification with { ReplyTimeout = TimeSpan.FromSeconds(30) },
        });
        var device = await h.DeviceAsync("edge-01");
        device.Answer = EdgeAi.Models.Devices.CommandResult.StillPresent;
        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.RoadCollapse, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));
        var filed = await OnlyCaseAsync(h, "filed");
        Assert.False(filed.TryGetProperty("escalated_at", out _));
        var platformCase = Assert.Single(h.Platform.Cases);
        Assert.Equal(200, await h.Platform.SetStatusAsync(platformCase.Id, "resolved", "fixed", CancellationToken.None));

        JsonElement c = default;
        await Wait.UntilAsync(async () =>
        {
            c = await OnlyCaseAsync(h);
            return c.TryGetProperty("escalated_at", out _);
        }, "the reopened case escalated", diagnostics: async () => await h.Api.GetStringAsync("/api/v1/cases"));
        Assert.Equal(1, c.GetProperty("reopen_count").GetInt64());
        Assert.Equal("reopened 1 times by the closure check", c.GetProperty("escalation").GetString());
        await Wait.UntilAsync(() => platformCase.Notifications.Any(n => n.Status == "escalated"), "the escalation notified to the platform");
        Assert.Contains(platformCase.Notifications, n => n.Status == "reopened");
    }
}
