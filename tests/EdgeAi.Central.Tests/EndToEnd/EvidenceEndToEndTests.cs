using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using Xunit.Abstractions;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// Evidence a case worker can act on, Central's side, with real mosquitto, SQLite and HTTP; the test plays the gateway
/// (<see cref="TestDevice"/>): a full-resolution snapshot with the episode's first event, a clip reference on a later event
/// (kept on the gateway, unblurred, or attached and blurred), fetch_evidence answered over MQTT, after-pictures on verify replies.
/// </summary>
public sealed class EvidenceEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Device = "edge-01";
    private readonly string _aliceToken = "alice-" + CentralHarness.Secret();
    private readonly string _bobToken = "bob-" + CentralHarness.Secret();
    private CentralHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
    }

    /// <summary>alice may see unblurred evidence of edge-01/cam-1; bob may not; the API token holder neither (privacy by default).</summary>
    private async Task StartAsync(TimeSpan? fetchTimeout = null, Func<CentralOptions, CentralOptions>? more = null)
    {
        _h = await CentralHarness.StartAsync(o => (more ?? (x => x))(o with
        {
            Access = new AccessSettings
            {
                Users =
                [
                    new ApiUser("alice", _aliceToken, [AccessSettings.Permissions.EvidenceUnblurred], [$"{Device}/cam-1"]),
                    new ApiUser("bob", _bobToken, [], []),
                ],
                FetchTimeout = fetchTimeout ?? TimeSpan.FromSeconds(30),
            },
        }));
    }

    private HttpClient As(string token)
    {
        var c = new HttpClient { BaseAddress = _h.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    /// <summary>An episode: started with an attached full-resolution snapshot, then an updated event with the clip's reference.</summary>
    private async Task<(string IncidentId, string SnapshotId, byte[] Snapshot, string ClipId, byte[] Clip, TestDevice Device)> EpisodeWithClipAsync(
        bool onDevice, int clipBytes = 1 << 20, string camera = "cam-1")
    {
        var device = await _h.DeviceAsync(Device);
        var episode = UuidV7.New();
        var t0 = DateTimeOffset.UtcNow;
        var snapshot = TestEvents.Jpeg(300_000);
        var snapshotId = "snap-" + Guid.NewGuid().ToString("N")[..12];
        var started = TestEvents.Make(Device, camera, TestEvents.Offset(0, 0), Scenarios.Litter, episode, EventType.Started, device.NextSequence(), t0,
            evidence: [new EvidenceRef(snapshotId, TestEvents.Sha256(snapshot), snapshot.Length, "image/jpeg") { Width = 1920, Height = 1080, Blurred = true }]);
        await device.PublishRawAsync(Topics.Evidence(Device, snapshotId), snapshot, "image/jpeg", UuidV7.ToBytes(started.EventId));
        await device.PublishAsync(started);

        var clip = TestEvents.Mp4(clipBytes);
        var clipId = "clip-" + Guid.NewGuid().ToString("N")[..12];
        var clipRef = new EvidenceRef(clipId, TestEvents.Sha256(clip), clip.Length, "video/mp4", EvidenceKinds.Clip)
        {
            Width = 1920, Height = 1080, StartTime = t0.AddSeconds(-10), EndTime = t0.AddSeconds(20),
            Blurred = !onDevice, Delivery = onDevice ? EvidenceDelivery.OnDevice : EvidenceDelivery.Attached,
        };
        var updated = TestEvents.Make(Device, camera, TestEvents.Offset(0, 0), Scenarios.Litter, episode, EventType.Updated, device.NextSequence(), t0.AddSeconds(20), evidence: [clipRef]);
        if (onDevice) device.OnDevice[clipId] = (clip, "video/mp4");
        else await device.PublishRawAsync(Topics.Evidence(Device, clipId), clip, "video/mp4", UuidV7.ToBytes(updated.EventId));
        await device.PublishAsync(updated);

        string? incidentId = null;
        await Wait.UntilAsync(async () =>
        {
            var list = await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
            if (list.GetArrayLength() == 0) return false;
            incidentId = list[0].GetProperty("incident_id").GetString();
            var d = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
            return d.GetProperty("evidence").EnumerateArray().Any(e => e.GetProperty("evidence_id").GetString() == clipId)
                && d.GetProperty("evidence").EnumerateArray().Any(e => e.GetProperty("evidence_id").GetString() == snapshotId && e.GetProperty("stored").GetBoolean());
        }, "snapshot and clip reference linked to the incident");
        return (incidentId!, snapshotId, snapshot, clipId, clip, device);
    }

    private async Task<JsonElement> EvidenceOfAsync(string incidentId, string evidenceId) =>
        (await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}")).GetProperty("evidence").EnumerateArray()
            .Single(e => e.GetProperty("evidence_id").GetString() == evidenceId);

    [Fact]
    public async Task OnDeviceClip_AuthorisedFetch_StoredServedWithRangeAndAudited()
    {
        await StartAsync();
        var (incidentId, snapshotId, snapshot, clipId, clip, device) = await EpisodeWithClipAsync(onDevice: true);

        var listed = await EvidenceOfAsync(incidentId, clipId);
        Assert.Equal("on_device", listed.GetProperty("delivery").GetString());
        Assert.False(listed.GetProperty("stored").GetBoolean());
        Assert.False(listed.GetProperty("blurred").GetBoolean());
        Assert.Equal($"/api/v1/evidence/{clipId}/fetch", listed.GetProperty("fetch_url").GetString());
        var snap = await EvidenceOfAsync(incidentId, snapshotId);
        Assert.Equal(1920, snap.GetProperty("width").GetInt32());
        Assert.Equal(snapshot, await _h.Api.GetByteArrayAsync($"/api/v1/evidence/{snapshotId}"));   // blurred: anyone signed in

        // Unauthorised: bob (no permission) and the API token (privacy by default) get 403 with the reason; nothing is sent to the gateway.
        using var bob = As(_bobToken);
        var denied = await bob.PostAsync($"/api/v1/evidence/{clipId}/fetch", null);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("lacks the evidence_unblurred permission", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await _h.Api.PostAsync($"/api/v1/evidence/{clipId}/fetch", null)).StatusCode);
        Assert.DoesNotContain(device.Commands, c => c.Type == DeviceCommandTypes.FetchEvidence);
        Assert.Equal(HttpStatusCode.NotFound, (await As(_aliceToken).GetAsync($"/api/v1/evidence/{clipId}")).StatusCode);   // not fetched yet

        // Authorised: alice's request sends fetch_evidence, waits for the blob and answers when it is stored.
        using var alice = As(_aliceToken);
        var watch = Stopwatch.StartNew();
        var fetched = await alice.PostAsync($"/api/v1/evidence/{clipId}/fetch", null);
        var requestMs = watch.Elapsed.TotalMilliseconds;
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var body = await fetched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("fetched").GetBoolean());
        var cmd = Assert.Single(device.Commands, c => c.Type == DeviceCommandTypes.FetchEvidence);
        Assert.Equal(clipId, cmd.EvidenceId);
        Assert.Equal("cam-1", cmd.CameraId);

        // Playable: a seek is a Range request answered 206 with exactly those bytes.
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/evidence/{clipId}");
        range.Headers.Range = new RangeHeaderValue(0, 65_535);
        var first = await alice.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal("video/mp4", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(clip.Length, first.Content.Headers.ContentRange?.Length);
        Assert.Equal(clip.AsSpan(0, 65_536).ToArray(), await first.Content.ReadAsByteArrayAsync());
        var playableMs = watch.Elapsed.TotalMilliseconds;
        using var seek = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/evidence/{clipId}");
        seek.Headers.Range = new RangeHeaderValue(500_000, 500_999);
        var later = await alice.SendAsync(seek);
        Assert.Equal(HttpStatusCode.PartialContent, later.StatusCode);
        Assert.Equal(clip.AsSpan(500_000, 1000).ToArray(), await later.Content.ReadAsByteArrayAsync());
        Assert.Equal(clip, await alice.GetByteArrayAsync($"/api/v1/evidence/{clipId}"));

        // Still unblurred once stored: bob cannot view it, alice's second request does not go to the gateway again.
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync($"/api/v1/evidence/{clipId}")).StatusCode);
        Assert.False((await (await alice.PostAsync($"/api/v1/evidence/{clipId}/fetch", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fetched").GetBoolean());
        Assert.Single(device.Commands, c => c.Type == DeviceCommandTypes.FetchEvidence);

        // The audit: who, what, when, allowed or denied, why.
        var audit = (await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/evidence-access?evidence_id={clipId}")).EnumerateArray().ToList();
        string Row(JsonElement a) => $"{a.GetProperty("principal").GetString()} {a.GetProperty("action").GetString()} {(a.GetProperty("allowed").GetBoolean() ? "allowed" : "denied")}";
        var rows = audit.Select(Row).Reverse().ToList();
        Assert.Equal(["bob fetch denied", "api fetch denied", "alice view allowed", "alice fetch allowed", "alice view allowed", "alice view allowed", "bob view denied", "alice fetch allowed"], rows);
        Assert.All(audit, a => Assert.Equal(Device, a.GetProperty("device_id").GetString()));
        Assert.Contains("for edge-01/cam-1", audit.First(a => a.GetProperty("allowed").GetBoolean()).GetProperty("reason").GetString(), StringComparison.Ordinal);
        var requests = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/evidence/{clipId}/requests");
        Assert.Equal("delivered", requests[0].GetProperty("state").GetString());
        Assert.Equal("alice", requests[0].GetProperty("requested_by").GetString());

        // The platform got the snapshot (signed link), never the on-gateway clip.
        await Wait.UntilAsync(() => _h.Platform.Cases.Count == 1, "case filed");
        Assert.Contains(snapshotId, _h.Platform.Cases[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain(clipId, _h.Platform.Cases[0].Body, StringComparison.Ordinal);

        var (pictures, clips) = await _h.Store.EvidenceBytesAsync(default);
        output.WriteLine($"MEASURE stored_bytes_snapshot {snapshot.Length} (pictures total {pictures})");
        output.WriteLine($"MEASURE stored_bytes_clip {clip.Length} (clips total {clips})");
        output.WriteLine($"MEASURE clip_fetch_request_ms {requestMs:0} (server-side {body.GetProperty("elapsed_ms").GetDouble():0})");
        output.WriteLine($"MEASURE clip_request_to_playable_ms {playableMs:0}");
        Assert.Equal((long)snapshot.Length, pictures);
        Assert.Equal((long)clip.Length, clips);
        Assert.Empty(_h.Logs.Errors);
    }

    [Fact]
    public async Task OnDeviceClip_GatewayErrorOfflineOrSilent_ClearErrors()
    {
        await StartAsync(fetchTimeout: TimeSpan.FromSeconds(2));
        var (incidentId, _, _, clipId, _, device) = await EpisodeWithClipAsync(onDevice: true);
        using var alice = As(_aliceToken);

        // the gateway no longer has it: 502 with its reason
        device.OnDevice.Clear();
        var error = await alice.PostAsync($"/api/v1/evidence/{clipId}/fetch", null);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Contains("no longer on this gateway", await error.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // no answer in access.fetch_timeout_s: 504
        device.IgnoreFirst = int.MaxValue;
        var silent = await alice.PostAsync($"/api/v1/evidence/{clipId}/fetch", null);
        Assert.Equal(HttpStatusCode.GatewayTimeout, silent.StatusCode);
        Assert.Contains("did not send it within 2 s", await silent.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // the gateway's status says offline: 503 at once, no command
        var offline = new DeviceStatus(DeviceState.Offline, Device, DateTimeOffset.UtcNow, null, "connection lost");
        var commandsBefore = device.Commands.Count;
        await device.PublishRawAsync(Topics.Status(Device), JsonSerializer.SerializeToUtf8Bytes(offline, EdgeAiJsonContext.Default.DeviceStatus), "application/json");
        await Wait.UntilAsync(async () => (await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/devices")).EnumerateArray()
            .Any(d => d.GetProperty("device_id").GetString() == Device && d.TryGetProperty("online", out var on) && on.ValueKind == JsonValueKind.False), "gateway seen offline");
        var down = await alice.PostAsync($"/api/v1/evidence/{clipId}/fetch", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("is offline", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(commandsBefore, device.Commands.Count);

        var states = (await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/evidence/{clipId}/requests")).EnumerateArray().Select(r => r.GetProperty("state").GetString()).ToList();
        Assert.Equal(["error", "timeout", "offline"], states);
        Assert.False((await EvidenceOfAsync(incidentId, clipId)).GetProperty("stored").GetBoolean());
    }

    [Fact]
    public async Task AttachedBlurredClip_OnLaterEvent_StoredLinkedAndGivenToPlatform()
    {
        await StartAsync(more: o => o with { Review = o.Review with { Default = EdgeAi.Central.Configuration.ReviewPolicies.Hold } });
        var (incidentId, snapshotId, _, clipId, clip, _) = await EpisodeWithClipAsync(onDevice: false, clipBytes: 4 << 20);
        await Wait.UntilAsync(async () => (await EvidenceOfAsync(incidentId, clipId)).GetProperty("stored").GetBoolean(), "attached clip stored");
        Assert.Equal(clip, await As(_bobToken).GetByteArrayAsync($"/api/v1/evidence/{clipId}"));   // blurred: no permission needed
        Assert.Empty((await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/evidence-access?evidence_id={clipId}")).EnumerateArray());

        // held for review, so the filing is built after the clip came: it carries snapshot first (Open311's media_url) and the clip
        var caseId = (await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases"))[0].GetProperty("case_id").GetString();
        var review = await _h.Api.PostAsJsonAsync($"/api/v1/cases/{caseId}/review", new { action = "confirm" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        await Wait.UntilAsync(() => _h.Platform.Cases.Count == 1, "case filed");
        using var doc = JsonDocument.Parse(_h.Platform.Cases[0].Body);
        var media = doc.RootElement.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Equal([snapshotId, clipId], media.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(["snapshot", "clip"], media.Select(m => m.GetProperty("kind").GetString()));
        using var anonymous = new HttpClient();
        var url = media[1].GetProperty("url").GetString()!;
        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        var part = await anonymous.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(clip.AsSpan(1000, 1000).ToArray(), await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AttachedBlurredClip_AfterFiling_SentToPlatformOnceAsNotification()
    {
        await StartAsync();
        var device = await _h.DeviceAsync(Device);
        var episode = UuidV7.New();
        var t0 = DateTimeOffset.UtcNow;
        await device.PublishAsync(TestEvents.Make(Device, "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, episode, EventType.Started, device.NextSequence(), t0));
        await Wait.UntilAsync(() => _h.Platform.Cases.Count == 1, "case filed");

        var clip = TestEvents.Mp4(2 << 20);
        var clipId = "clip-" + Guid.NewGuid().ToString("N")[..12];
        var ended = TestEvents.Make(Device, "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, episode, EventType.Ended, device.NextSequence(), t0.AddSeconds(25),
            evidence: [new EvidenceRef(clipId, TestEvents.Sha256(clip), clip.Length, "video/mp4", EvidenceKinds.Clip) { Blurred = true, StartTime = t0.AddSeconds(-10), EndTime = t0.AddSeconds(20) }]);
        await device.PublishRawAsync(Topics.Evidence(Device, clipId), clip, "video/mp4", UuidV7.ToBytes(ended.EventId));
        await device.PublishAsync(ended);
        await device.PublishAsync(ended);   // redelivered: still one notification

        await Wait.UntilAsync(() => _h.Platform.Cases[0].Notifications.Any(n => n.Body.Contains(clipId, StringComparison.Ordinal)), "clip sent to the platform");
        var sent = Assert.Single(_h.Platform.Cases[0].Notifications, n => n.Body.Contains(clipId, StringComparison.Ordinal));
        Assert.Equal([(clipId, "clip")], Media(sent.Body));
        using var doc = JsonDocument.Parse(sent.Body);
        using var anonymous = new HttpClient();
        await Wait.UntilAsync(async () => (await anonymous.GetAsync(doc.RootElement.GetProperty("evidence")[0].GetProperty("url").GetString())).IsSuccessStatusCode, "clip served by its signed link");
        Assert.Equal(clip, await anonymous.GetByteArrayAsync(doc.RootElement.GetProperty("evidence")[0].GetProperty("url").GetString()));
    }

    [Fact]
    public async Task UnblurredEvidence_NeverBySignedLink()
    {
        await StartAsync();
        var (_, _, _, clipId, _, _) = await EpisodeWithClipAsync(onDevice: true);
        using var alice = As(_aliceToken);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync($"/api/v1/evidence/{clipId}/fetch", null)).StatusCode);
        // even a correctly signed link (e.g. leaked signing key, or an old filing) does not serve an unblurred blob
        var link = _h.App.Services.GetService(typeof(Platforms.MediaLinks)) as Platforms.MediaLinks;
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(link!.Create(clipId, DateTimeOffset.UtcNow))).StatusCode);
    }

    [Fact]
    public async Task ClipTraffic_DoesNotDelayEventIngestion()
    {
        await StartAsync();
        var device = await _h.DeviceAsync(Device);
        async Task<double[]> LatenciesAsync(bool withClips)
        {
            var ms = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                if (withClips)
                {
                    var clip = TestEvents.Mp4(16 << 20);
                    var id = $"clip-{Guid.NewGuid():N}"[..20];
                    await device.PublishRawAsync(Topics.Evidence(Device, id), clip, "video/mp4");
                }
                var e = TestEvents.Make(Device, $"cam-{(withClips ? "c" : "b")}{i}", TestEvents.Offset(i * 500, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow);
                var watch = Stopwatch.StartNew();
                await device.PublishAsync(e);
                await Wait.UntilAsync(async () => (await _h.Api.GetAsync($"/api/v1/events/{e.EventId}")).IsSuccessStatusCode, "event stored");
                ms.Add(watch.Elapsed.TotalMilliseconds);
            }
            return [.. ms.Order()];
        }
        var baseline = await LatenciesAsync(withClips: false);
        var withClips = await LatenciesAsync(withClips: true);
        output.WriteLine($"MEASURE event_stored_ms_median baseline {baseline[5]:0} with_16MiB_clip_just_before {withClips[5]:0}; max {baseline[^1]:0} vs {withClips[^1]:0}");
        // the clips travel on other consumer connections than the events (shared subscription): all are stored, none lost
        await Wait.UntilAsync(async () => (await _h.Store.EvidenceBytesAsync(default)).Clips == 10L * (16 << 20), "all ten 16 MiB clips stored");
        Assert.Empty(_h.Logs.Errors);
    }

    /// <summary>A filed case whose incident has a snapshot; the platform then reports it resolved, so Central sends verify.</summary>
    private async Task<(string CaseId, string SnapshotId, TestDevice Device)> ResolvedCaseAsync(CommandResult answer, string? detail = null)
    {
        await StartAsync(more: o => o with { Verification = o.Verification with { ReplyTimeout = TimeSpan.FromSeconds(30) } });
        var (incidentId, snapshotId, _, _, _, device) = await EpisodeWithClipAsync(onDevice: true);
        device.Answer = answer;
        device.AnswerDetail = detail;
        device.AfterPicture = TestEvents.Jpeg(250_000);
        await Wait.UntilAsync(() => _h.Platform.Cases.Count == 1, "case filed");
        var caseId = (await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}")).GetProperty("case").GetProperty("case_id").GetString()!;
        Assert.Equal(200, await _h.Platform.SetStatusAsync(_h.Platform.Cases[0].Id, "resolved", "litter removed", default));
        return (caseId, snapshotId, device);
    }

    private async Task<JsonElement> CaseAsync(string caseId) => await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{caseId}");

    private static List<(string? Id, string? Kind)> Media(string notificationBody)
    {
        using var doc = JsonDocument.Parse(notificationBody);
        return doc.RootElement.GetProperty("evidence").EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("kind").GetString())).ToList();
    }

    [Fact]
    public async Task Verify_StillPresentWithAfterPicture_ReopenedAndBothPicturesSentBack()
    {
        var (caseId, snapshotId, device) = await ResolvedCaseAsync(CommandResult.StillPresent);
        await Wait.UntilAsync(async () => (await CaseAsync(caseId)).GetProperty("case").GetProperty("state").GetString() == "dispatched", "reopened and re-dispatched",
            diagnostics: () => _h.Api.GetStringAsync($"/api/v1/cases/{caseId}"));
        var after = Assert.Single(device.AfterSent);

        // the platform was told "reopened" with before (the incident's snapshot) and after (the verify reply's picture), signed links that work
        var reopened = _h.Platform.Cases[0].Notifications.Single(n => n.Status == "reopened");
        Assert.Equal([(snapshotId, "before"), (after.Id, "after")], Media(reopened.Body));
        using (var doc = JsonDocument.Parse(reopened.Body))
        {
            using var anonymous = new HttpClient();
            foreach (var m in doc.RootElement.GetProperty("evidence").EnumerateArray())
                Assert.True((await anonymous.GetAsync(m.GetProperty("url").GetString())).IsSuccessStatusCode, m.GetProperty("url").GetString());
        }

        // the case shows before and after, and the timeline names the after-picture
        var detail = await CaseAsync(caseId);
        Assert.Equal(snapshotId, detail.GetProperty("pictures").GetProperty("before").GetProperty("evidence_id").GetString());
        var afterShown = Assert.Single(detail.GetProperty("pictures").GetProperty("after").EnumerateArray());
        Assert.Equal(after.Id, afterShown.GetProperty("evidence_id").GetString());
        Assert.True(afterShown.GetProperty("stored").GetBoolean());
        Assert.Equal(1920, afterShown.GetProperty("width").GetInt32());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("state").GetString() == "reopened"
            && t.GetProperty("detail").GetString()!.Contains($"After: after {after.Id}", StringComparison.Ordinal));
        Assert.Equal(device.AfterPicture, await _h.Api.GetByteArrayAsync($"/api/v1/evidence/{after.Id}"));
    }

    [Fact]
    public async Task Verify_Unverifiable_NotClosedGoesToOperatorWhoReopensWithBothPictures()
    {
        var (caseId, snapshotId, device) = await ResolvedCaseAsync(CommandResult.Unverifiable, "quality flags: frozen");
        await Wait.UntilAsync(async () => (await CaseAsync(caseId)).GetProperty("case").GetProperty("state").GetString() == "unverifiable", "case waits for an operator",
            diagnostics: () => _h.Api.GetStringAsync($"/api/v1/cases/{caseId}"));

        var detail = await CaseAsync(caseId);
        var entry = detail.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("unverifiable", entry.GetProperty("state").GetString());
        Assert.Contains("cannot verify: quality flags: frozen", entry.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("unverifiable", detail.GetProperty("commands")[0].GetProperty("result").GetString());
        Assert.DoesNotContain(_h.Platform.Cases[0].Notifications, n => n.Status is "verified" or "closed");   // not closed
        Assert.Single(detail.GetProperty("pictures").GetProperty("after").EnumerateArray());
        var listed = await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=unverifiable");
        Assert.Equal(caseId, Assert.Single(listed.EnumerateArray()).GetProperty("case_id").GetString());

        // bad decisions are refused; the operator (here user bob) reopens from the pictures
        using var bob = As(_bobToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await bob.PostAsJsonAsync($"/api/v1/cases/{caseId}/closure", new { decision = "closed" })).StatusCode);
        var decided = await bob.PostAsJsonAsync($"/api/v1/cases/{caseId}/closure", new { decision = "reopened", note = "bags still there in the after-picture" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await bob.PostAsJsonAsync($"/api/v1/cases/{caseId}/closure", new { decision = "verified" })).StatusCode);
        await Wait.UntilAsync(() => _h.Platform.Cases[0].Notifications.Any(n => n.Status == "reopened"), "platform told");
        var reopened = _h.Platform.Cases[0].Notifications.Single(n => n.Status == "reopened");
        Assert.Equal([(snapshotId, "before"), (device.AfterSent.Single().Id, "after")], Media(reopened.Body));
        var timeline = (await CaseAsync(caseId)).GetProperty("timeline").EnumerateArray().ToList();
        Assert.Contains(timeline, t => t.GetProperty("state").GetString() == "reopened" && t.GetProperty("source").GetString() == "operator"
            && t.GetProperty("detail").GetString()!.StartsWith("bob: still present", StringComparison.Ordinal));
        Assert.Equal("open", (await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/incidents"))[0].GetProperty("state").GetString());
    }
}
