using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Devices;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Turns lasting camera faults into alerts and, optionally, device-fault cases (设备故障). Every check reads the devices'
/// health snapshots (judged as the dashboard's tiles are: <see cref="DashboardTiles"/>); a camera not healthy since
/// longer than <see cref="DeviceFaultSettings.After"/> is in fault: published as <c>edgeai_central_camera_fault</c>
/// = 1 and, with <see cref="DeviceFaultSettings.FileCases"/>, filed once as a case routed to the maintenance department.
/// When the camera is healthy again the gauge drops and the case is closed with a notification to the platform.
/// </summary>
/// <remarks>
/// A fault's start is remembered in memory (a restart starts the clock again). The case is keyed by camera: one open
/// device-fault case per camera, checked under the camera's lock, so several instances file it once.
/// </remarks>
internal sealed partial class CameraFaultMonitor(
    CentralStore store, CentralOptions options, OutboxSignal signal, CentralMetrics metrics, TimeProvider time, ILogger<CameraFaultMonitor> logger) : BackgroundService
{
    public const string Scenario = "device_fault";

    private readonly ConcurrentDictionary<(string Device, string Camera), (DateTimeOffset Since, string Reason)> _faulty = new();
    private readonly DeviceFaultSettings _settings = options.DeviceFaults;

    /// <summary>Cameras in fault for longer than the threshold now, with their reason.</summary>
    public IReadOnlyList<(string Device, string Camera, string Reason)> Alerting()
    {
        var now = time.GetUtcNow();
        return _faulty.Where(kv => now - kv.Value.Since >= _settings.After).Select(kv => (kv.Key.Device, kv.Key.Camera, kv.Value.Reason)).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.CameraFaults = Alerting;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await CheckAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(ex);
                }
                await Task.Delay(_settings.CheckInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            LogStopped();
        }
    }

    /// <summary>One check: updates the faults, files cases for new ones past the threshold, closes recovered ones.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var devices = await store.ListDevicesAsync(ct).ConfigureAwait(false);
        var tiles = DashboardTiles.Build(devices, new Dictionary<(string, string), string>(), new Dictionary<(string, string), string>(), now);
        var seen = new HashSet<(string, string)>();
        foreach (var t in tiles)
        {
            var key = (t.DeviceId, t.CameraId);
            seen.Add(key);
            if (t.Health == DashboardTiles.Healthy)
            {
                if (_faulty.TryRemove(key, out var was)) await RecoveredAsync(t.DeviceId, t.CameraId, now - was.Since, ct).ConfigureAwait(false);
                continue;
            }
            var reason = string.Join("; ", t.Problems);
            var fault = _faulty.AddOrUpdate(key, (now, reason), (_, old) => (old.Since, reason));
            if (now - fault.Since >= _settings.After && _settings.FileCases) await FileAsync(t.DeviceId, t.CameraId, reason, fault.Since, now, ct).ConfigureAwait(false);
        }
        foreach (var gone in _faulty.Keys.Where(k => !seen.Contains(k)).ToList()) _faulty.TryRemove(gone, out _);
    }

    private async Task FileAsync(string device, string camera, string reason, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var cam = (await store.ListCamerasAsync(ct).ConfigureAwait(false)).FirstOrDefault(c => c.DeviceId == device && c.CameraId == camera);
        var ms = UnixMs.From(now);
        var caseId = Guid.CreateVersion7(now).ToString();
        var incidentId = $"device-fault:{device}/{camera}:{UnixMs.From(since)}";
        var grid = cam is null ? null : options.Grids.Map.Locate(cam.Lat, cam.Lon);
        await using var w = await store.Dialect.BeginWriteAsync([$"device-fault:{device}/{camera}"], ct).ConfigureAwait(false);
        var open = await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM cases WHERE scenario = @scenario AND device_id = @device AND camera_id = @camera AND NOT ({store.Dialect.InList("state", "final")})",
            new { scenario = Scenario, device, camera, final = CaseStates.Final.ToTexts() }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (open > 0) return;
        var c = _settings.Category;
        await w.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cases (case_id, incident_id, scenario, state, platform, platform_case_id, category_class, category_subclass, category_code, attempts, last_error, created_at, updated_at, filed_at,
                device_id, camera_id, review_policy, grid_code, department, deadline_at, escalation)
            VALUES (@caseId, @incidentId, @scenario, @state, @platform, NULL, @class, @subclass, @code, 0, NULL, @ms, @ms, NULL,
                @device, @camera, 'file', @grid, @department, @deadline, NULL)
            """,
            new
            {
                caseId, incidentId, scenario = Scenario, state = CaseState.Detected.ToText(), platform = options.Platform.Kind.ToText(),
                @class = c.Class, subclass = c.Subclass, code = c.Code, ms, device, camera, grid = grid?.Code, department = _settings.Department,
                deadline = UnixMs.From(now + options.Supervision.DeadlineFor(Scenario)),
            }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO case_timeline (case_id, at, state, source, detail) VALUES (@caseId, @ms, @state, 'device-health', @detail)",
            new { caseId, ms, state = CaseState.Detected.ToText(), detail = $"camera {device}/{camera} in fault since {since:yyyy-MM-dd HH:mm:ss} UTC: {reason}" },
            w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        await CentralStore.InsertOutboxAsync(w, new OutboxRow { CaseId = caseId, Kind = OutboxKind.File, CreatedAt = ms, NextAttemptAt = ms }, ct).ConfigureAwait(false);
        await w.CommitAsync(ct).ConfigureAwait(false);
        LogFiled(device, camera, caseId, reason);
        signal.Wake();
    }

    private async Task RecoveredAsync(string device, string camera, TimeSpan lasted, CancellationToken ct)
    {
        LogRecovered(device, camera, lasted.TotalSeconds);
        if (!_settings.FileCases) return;
        var now = time.GetUtcNow();
        foreach (var c in await store.ListCasesInStatesAsync(CaseStates.All.Where(s => !s.IsFinal()).ToList(), 1000, ct).ConfigureAwait(false))
        {
            if (c.Scenario != Scenario || c.DeviceId != device || c.CameraId != camera) continue;
            var note = $"camera {device}/{camera} recovered after {lasted.TotalMinutes:0.#} min";
            await store.UpdateCaseAsync(c.CaseId, row => row.State.IsFinal() ? null
                : new CaseUpdate(CaseState.Closed, "device-health", note) { Outbox = [Notification(row, note, now)] }, now, ct).ConfigureAwait(false);
        }
        signal.Wake();
    }

    private static OutboxRow Notification(CaseRow c, string note, DateTimeOffset now)
    {
        var n = new CaseNotification
        {
            NotificationId = UuidV7.New().ToString(), CaseRef = c.CaseId, IncidentId = c.IncidentId, PlatformCaseId = c.PlatformCaseId,
            Status = CaseState.Closed.ToText(), Note = note, At = now,
        };
        var ms = UnixMs.From(now);
        return new OutboxRow { CaseId = c.CaseId, Kind = OutboxKind.Notify, Payload = JsonSerializer.Serialize(n, PlatformJson.Options), CreatedAt = ms, NextAttemptAt = ms };
    }

    [LoggerMessage(EventId = 550, Level = LogLevel.Warning, Message = "Camera {DeviceId}/{CameraId} in fault: device-fault case {CaseId} filed ({Reason})")]
    private partial void LogFiled(string deviceId, string cameraId, string caseId, string reason);

    [LoggerMessage(EventId = 551, Level = LogLevel.Information, Message = "Camera {DeviceId}/{CameraId} recovered after {Seconds:0} s")]
    private partial void LogRecovered(string deviceId, string cameraId, double seconds);

    [LoggerMessage(EventId = 552, Level = LogLevel.Error, Message = "Camera fault check failed; continuing")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(EventId = 553, Level = LogLevel.Information, Message = "Camera fault monitor stopped")]
    private partial void LogStopped();
}
