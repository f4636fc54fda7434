using System.Data.Common;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Incidents;

/// <summary>
/// Groups events into incidents and opens a case (with its filing outbox item) for each new incident, in one
/// transaction per batch. Correlation runs against an in-memory <see cref="IncidentIndex"/> per scenario; the
/// transaction holds the scenarios' locks, and the index is brought up to the database's scenario revision
/// first, so several Central instances on one database never split an episode or a place into two incidents.
/// </summary>
/// <remarks>Thread-safe: calls are serialised by one semaphore (the indexes are single-threaded).</remarks>
internal sealed partial class IncidentService
{
    private readonly CentralStore _store;
    private readonly CentralOptions _options;
    private readonly TimeProvider _time;
    private readonly OutboxSignal _signal;
    private readonly CentralMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, IncidentIndex> _indexes = new(StringComparer.Ordinal);
    private readonly List<IncidentSnapshot> _scratch = [];

    public IncidentService(CentralStore store, CentralOptions options, TimeProvider time, OutboxSignal signal, CentralMetrics metrics, ILogger<IncidentService> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _signal = signal;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Open and recently closed incidents held in memory, all scenarios.</summary>
    public int IndexedCount
    {
        get
        {
            _lock.Wait();
            try { return _indexes.Values.Sum(i => i.Count); }
            finally { _lock.Release(); }
        }
    }

    private IncidentIndex Index(string scenario)
    {
        if (!_indexes.TryGetValue(scenario, out var idx))
            _indexes[scenario] = idx = new IncidentIndex(scenario, _options.Correlation.For(scenario).RadiusMetres);
        return idx;
    }

    /// <summary>Stores a batch of validated events, correlating each into an incident. Retries a failed transaction twice.</summary>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return new IngestResult(0, 0, 0, []);
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = await IngestOnceAsync(events, ct).ConfigureAwait(false);
                    _metrics.EventsStored(result.Accepted);
                    _metrics.DuplicatesIgnored(result.Duplicates);
                    _metrics.IncidentOpened(result.IncidentsOpened);
                    if (result.IncidentsOpened > 0) _signal.Wake();
                    return result;
                }
                catch (DbException ex) when (attempt < 3 && !ct.IsCancellationRequested)
                {
                    LogBatchRetry(ex, events.Count, attempt);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IngestResult> IngestOnceAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var scenarios = events.Select(e => e.Event.Scenario).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            await using var batch = await _store.BeginIncidentBatchAsync(scenarios, ct).ConfigureAwait(false);
            var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var s in scenarios)
            {
                var rev = await batch.GetRevisionAsync(s).ConfigureAwait(false);
                await SyncAsync(batch, Index(s), rev, now).ConfigureAwait(false);
                revisions[s] = rev;
            }

            var existing = await batch.ExistingEventIdsAsync(events.Select(e => e.Event.EventId.ToString()).ToList()).ConfigureAwait(false);
            var episodes = await batch.LookupEpisodesAsync(events.Select(e => e.Event.EpisodeId.ToString()).Distinct().ToList()).ConfigureAwait(false);
            var seen = new HashSet<Guid>();
            var dirty = new Dictionary<Guid, IncidentSnapshot>();
            var created = new List<(IncidentSnapshot Incident, EdgeEvent First)>();
            var episodeRows = new Dictionary<string, EpisodeRow>(StringComparer.Ordinal);
            var rejected = new List<(ReceivedEvent, string)>();
            var eventWrites = new List<(EventRow Row, List<EventEvidenceRow> Evidence)>();
            var evidenceMeta = new List<EvidenceMetaRow>();
            var cameras = new Dictionary<(string, string), CameraRow>();
            var sequences = new Dictionary<string, (long Seq, long At)>(StringComparer.Ordinal);
            var duplicates = 0;

            foreach (var r in events.OrderBy(e => e.Event.DetectionTime))
            {
                var e = r.Event;
                if (existing.Contains(e.EventId.ToString()) || !seen.Add(e.EventId))
                {
                    duplicates++;
                    continue;
                }
                var idx = Index(e.Scenario);
                var p = _options.Correlation.For(e.Scenario);
                var probe = new CorrelationProbe(e.DeviceId, e.Camera.Id, e.Camera.Lat, e.Camera.Lon, Box.Around(e.Objects.Select(o => o.Box)), e.DetectionTime);
                var episodeKey = e.EpisodeId.ToString();

                IncidentSnapshot incident;
                CorrelationReason reason;
                if (episodes.TryGetValue(episodeKey, out var known))
                {
                    var found = idx.Get(Guid.Parse(known)) ?? await LoadIntoIndexAsync(batch, idx, known).ConfigureAwait(false);
                    if (found is null)
                    {
                        rejected.Add((r, $"episode {episodeKey} belongs to incident {known} of another scenario"));
                        continue;
                    }
                    incident = found;
                    reason = CorrelationReason.Episode;
                }
                else
                {
                    var match = IncidentCorrelator.Find(idx, p, probe, _scratch);
                    if (match.Incident is null)
                    {
                        incident = NewIncident(e, now);
                        idx.Put(incident);
                        created.Add((incident, e));
                    }
                    else
                    {
                        incident = match.Incident;
                    }
                    reason = match.Reason;
                    episodes[episodeKey] = incident.Id.ToString();
                }

                Apply(incident, e, probe, idx, p, reason, now);
                dirty[incident.Id] = incident;

                var ended = e.Type == EventType.Ended ? 1L : 0L;
                var t = UnixMs.From(e.DetectionTime);
                if (episodeRows.TryGetValue(episodeKey, out var ep))
                {
                    ep.Ended = Math.Max(ep.Ended, ended);
                    ep.LastSeen = Math.Max(ep.LastSeen, t);
                }
                else
                {
                    episodeRows[episodeKey] = new EpisodeRow { EpisodeId = episodeKey, IncidentId = incident.Id.ToString(), DeviceId = e.DeviceId, CameraId = e.Camera.Id, Ended = ended, FirstSeen = t, LastSeen = t };
                }
                eventWrites.Add((new EventRow
                {
                    EventId = e.EventId.ToString(), EpisodeId = episodeKey, IncidentId = incident.Id.ToString(), DeviceId = e.DeviceId, CameraId = e.Camera.Id,
                    Scenario = e.Scenario, Type = e.Type.ToString().ToLowerInvariant(), Sequence = e.Sequence, DetectionTime = t,
                    ReceivedAt = UnixMs.From(r.ReceivedAt), Payload = r.Json,
                }, e.Evidence.Select(x => new EventEvidenceRow { EventId = e.EventId.ToString(), EvidenceId = x.Id, Sha256 = x.Sha256, Bytes = x.Bytes, ContentType = x.ContentType, Kind = x.Kind }).ToList()));
                // every event of an episode may bring evidence (a clip comes on a later updated or the ended event): all link to the incident
                foreach (var x in e.Evidence) evidenceMeta.Add(Meta(x, e, incident.Id, UnixMs.From(r.ReceivedAt)));
                cameras[(e.DeviceId, e.Camera.Id)] = new CameraRow { DeviceId = e.DeviceId, CameraId = e.Camera.Id, Name = e.Camera.Name, Lat = e.Camera.Lat, Lon = e.Camera.Lon, LastEventAt = t };
                sequences[e.DeviceId] = sequences.TryGetValue(e.DeviceId, out var sq) ? (Math.Max(sq.Seq, e.Sequence), Math.Max(sq.At, t)) : (e.Sequence, t);
                LogCorrelated(e.EventId, incident.Id, reason);
            }

            var touched = dirty.Values.Select(i => i.Scenario).Distinct(StringComparer.Ordinal).ToList();
            await batch.UpsertIncidentsAsync(dirty.Values.Select(i => ToRow(i, revisions[i.Scenario] + 1, now)).ToList()).ConfigureAwait(false);
            await batch.UpsertCamerasAsync(dirty.Values.SelectMany(i => i.Cameras.Select(c => ToRow(i.Id, c))).ToList()).ConfigureAwait(false);
            foreach (var incident in dirty.Values.Where(i => !i.IsOpen)) await batch.MarkEpisodesEndedAsync(incident.Id.ToString()).ConfigureAwait(false);
            await batch.UpsertEpisodesAsync(episodeRows.Values).ConfigureAwait(false);
            await batch.InsertEventsAsync(eventWrites.Select(w => w.Row).ToList(), eventWrites.SelectMany(w => w.Evidence).ToList()).ConfigureAwait(false);
            await batch.InsertEvidenceMetaAsync(evidenceMeta).ConfigureAwait(false);
            await batch.UpsertCameraInfosAsync(cameras.Values).ConfigureAwait(false);
            foreach (var (device, (seq, at)) in sequences) await batch.UpsertDeviceSequenceAsync(device, seq, at).ConfigureAwait(false);
            foreach (var (incident, first) in created) await InsertCaseAsync(batch, incident, first, now).ConfigureAwait(false);
            foreach (var s in touched) await batch.SetRevisionAsync(s, revisions[s] + 1).ConfigureAwait(false);
            await batch.CommitAsync().ConfigureAwait(false);

            foreach (var s in scenarios) Index(s).Revision = touched.Contains(s) ? revisions[s] + 1 : revisions[s];
            foreach (var (incident, _) in created) LogIncidentOpened(incident.Id, incident.Scenario, incident.Cameras[0].DeviceId, incident.Cameras[0].CameraId);
            return new IngestResult(eventWrites.Count, duplicates, created.Count, rejected);
        }
        catch
        {
            // The indexes may hold changes that were rolled back: reload them from the database next time.
            foreach (var s in scenarios) Index(s).Clear();
            throw;
        }
    }

    private void Apply(IncidentSnapshot incident, EdgeEvent e, CorrelationProbe probe, IncidentIndex idx, ScenarioCorrelation p, CorrelationReason reason, DateTimeOffset now)
    {
        var camera = incident.Camera(e.DeviceId, e.Camera.Id);
        if (camera is null)
        {
            camera = new CameraTrack { DeviceId = e.DeviceId, CameraId = e.Camera.Id, Lat = e.Camera.Lat, Lon = e.Camera.Lon, ZoneId = e.Zone.Id, FirstSeen = e.DetectionTime, LastSeen = e.DetectionTime };
            incident.Cameras.Add(camera);
            idx.CameraAdded(incident, camera);
        }
        if (e.DetectionTime >= camera.LastSeen || camera.EventCount == 0)
        {
            camera.LastSeen = e.DetectionTime;
            camera.LastBox = probe.Box ?? camera.LastBox;
            camera.LastEpisodeId = e.EpisodeId;
        }
        if (e.DetectionTime < camera.FirstSeen) camera.FirstSeen = e.DetectionTime;
        camera.EventCount++;
        incident.EventCount++;
        if (e.DetectionTime > incident.LastSeen) incident.LastSeen = e.DetectionTime;
        if (e.DetectionTime < incident.FirstSeen) incident.FirstSeen = e.DetectionTime;

        // The same episode seen again after the cooldown: the problem never went away, so the incident reopens.
        if (!incident.IsOpen && reason == CorrelationReason.Episode && incident.ClosedAt is { } closedAt && e.DetectionTime > closedAt + p.Cooldown && e.Type != EventType.Ended)
        {
            incident.State = IncidentStates.Open;
            incident.ClosedAt = null;
            incident.CloseReason = null;
        }
        if (!incident.IsOpen) return;

        if (e.Type == EventType.Ended)
        {
            incident.ActiveEpisodes.Remove(e.EpisodeId);
            if (incident.ActiveEpisodes.Count == 0) Close(incident, now, "every episode ended");
        }
        else
        {
            incident.ActiveEpisodes.Add(e.EpisodeId);
        }
    }

    private static void Close(IncidentSnapshot incident, DateTimeOffset now, string reason)
    {
        incident.State = IncidentStates.Closed;
        incident.ClosedAt = now;
        incident.CloseReason = reason;
        incident.ActiveEpisodes.Clear();
    }

    private IncidentSnapshot NewIncident(EdgeEvent e, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Scenario = e.Scenario,
        ZoneId = e.Zone.Id,
        Lat = e.Camera.Lat,
        Lon = e.Camera.Lon,
        FirstSeen = e.DetectionTime,
        LastSeen = e.DetectionTime,
        CreatedAt = now,
        GridCode = _options.Grids.Map.Locate(e.Camera.Lat, e.Camera.Lon)?.Code,
    };

    /// <summary>
    /// Opens the incident's case: routed to a department by scenario and grid, and by the review policy filed at once
    /// (with its deadline), held for an operator (until the review timeout) or only recorded.
    /// </summary>
    private async Task InsertCaseAsync(IncidentBatch batch, IncidentSnapshot incident, EdgeEvent first, DateTimeOffset now)
    {
        var category = _options.Platform.CategoryFor(incident.Scenario);
        var caseId = Guid.CreateVersion7(now).ToString();
        var ms = UnixMs.From(now);
        var grid = incident.GridCode is { } code ? _options.Grids.Map.Get(code) : null;
        var policy = _options.Review.PolicyFor(incident.Scenario, first.DeviceId, first.Camera.Id, incident.GridCode);
        var state = policy switch { ReviewPolicies.Hold => CaseStates.Held, ReviewPolicies.Record => CaseStates.Recorded, _ => CaseStates.Detected };
        var department = _options.Routing.DepartmentFor(incident.Scenario, grid);
        var where = grid is null ? "" : $" in grid {grid.Code}";
        await batch.InsertCaseAsync(
            new CaseRow
            {
                CaseId = caseId, IncidentId = incident.Id.ToString(), Scenario = incident.Scenario, State = state,
                Platform = _options.Platform.Kind.ToString().ToLowerInvariant(), CategoryClass = category.Class, CategorySubclass = category.Subclass,
                CategoryCode = category.Code, CreatedAt = ms, UpdatedAt = ms,
                DeviceId = first.DeviceId, CameraId = first.Camera.Id, Model = $"{first.Model.Name} {first.Model.Version}", Rule = first.Rule.Name,
                ReviewPolicy = policy, ReviewDueAt = state == CaseStates.Held ? UnixMs.From(now + _options.Review.Timeout) : null,
                GridCode = grid?.Code, Department = department,
                DeadlineAt = state == CaseStates.Detected ? UnixMs.From(now + _options.Supervision.DeadlineFor(incident.Scenario)) : null,
            },
            $"incident opened by {first.DeviceId}/{first.Camera.Id}{where}; review policy {policy}; routed to {department}",
            state == CaseStates.Detected ? new OutboxRow { CaseId = caseId, Kind = OutboxKinds.File, CreatedAt = ms, NextAttemptAt = ms } : null).ConfigureAwait(false);
    }

    /// <summary>Brings the index up to <paramref name="dbRevision"/>: everything on first use, then only incidents changed since.</summary>
    private async Task SyncAsync(IncidentBatch batch, IncidentIndex idx, long dbRevision, DateTimeOffset now)
    {
        if (idx.Revision == dbRevision) return;
        var p = _options.Correlation.For(idx.Scenario);
        var closedAfter = UnixMs.From(now - p.Cooldown - p.Window);
        var since = idx.Revision;
        if (since < 0) idx.Clear();
        else
        {
            foreach (var id in await batch.LoadExpiredIdsAsync(idx.Scenario, since, closedAfter).ConfigureAwait(false)) idx.Remove(Guid.Parse(id));
        }
        var rows = await batch.LoadIncidentsAsync(idx.Scenario, since, closedAfter).ConfigureAwait(false);
        var cameras = (await batch.LoadCamerasAsync(idx.Scenario, since, closedAfter).ConfigureAwait(false)).ToLookup(c => c.IncidentId);
        var episodes = (await batch.LoadActiveEpisodesAsync(idx.Scenario, since, closedAfter).ConfigureAwait(false)).ToLookup(c => c.IncidentId);
        foreach (var row in rows) idx.Put(FromRows(row, cameras[row.IncidentId], episodes[row.IncidentId]));
        LogIndexSynced(idx.Scenario, since, dbRevision, rows.Count, idx.Count);
        idx.Revision = dbRevision;
    }

    private static async Task<IncidentSnapshot?> LoadIntoIndexAsync(IncidentBatch batch, IncidentIndex idx, string incidentId)
    {
        var row = await batch.GetIncidentAsync(incidentId).ConfigureAwait(false);
        if (row is null || row.Scenario != idx.Scenario) return null;
        var snapshot = FromRows(row, await batch.GetCamerasAsync(incidentId).ConfigureAwait(false), await batch.GetActiveEpisodesAsync(incidentId).ConfigureAwait(false));
        idx.Put(snapshot);
        return snapshot;
    }

    /// <summary>Closes open incidents without events for their scenario's idle time and drops expired ones from memory.</summary>
    public async Task<int> CloseIdleAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var closed = 0;
            foreach (var idx in _indexes.Values.ToList())
            {
                var p = _options.Correlation.For(idx.Scenario);
                foreach (var gone in idx.All.Where(i => !i.IsOpen && i.ClosedAt + p.Cooldown + p.Window < now).Select(i => i.Id).ToList()) idx.Remove(gone);
                if (!idx.All.Any(i => i.IsOpen && i.LastSeen + p.IdleClose < now)) continue;
                closed += await ChangeAsync(idx.Scenario, now, (batch, index) =>
                {
                    var list = index.All.Where(i => i.IsOpen && i.LastSeen + p.IdleClose < now).ToList();
                    foreach (var i in list) Close(i, now, $"no events for {p.IdleClose.TotalMinutes:0.#} min");
                    return Task.FromResult<IReadOnlyList<IncidentSnapshot>>(list);
                }, ct).ConfigureAwait(false);
            }
            return closed;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Reopens an incident (verification found the problem still there). False when unknown.</summary>
    public async Task<bool> ReopenAsync(string incidentId, string reason, CancellationToken ct)
    {
        var row = await _store.GetIncidentAsync(incidentId, ct).ConfigureAwait(false);
        if (row is null) return false;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            await ChangeAsync(row.Scenario, now, async (batch, index) =>
            {
                var incident = index.Get(Guid.Parse(incidentId)) ?? await LoadIntoIndexAsync(batch, index, incidentId).ConfigureAwait(false);
                if (incident is null) return [];
                incident.State = IncidentStates.Open;
                incident.ClosedAt = null;
                incident.CloseReason = null;
                incident.LastSeen = now > incident.LastSeen ? now : incident.LastSeen;
                LogReopened(incident.Id, reason);
                return [incident];
            }, ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs <paramref name="change"/> on a synced index inside a scenario transaction and writes what it returns.</summary>
    private async Task<int> ChangeAsync(string scenario, DateTimeOffset now, Func<IncidentBatch, IncidentIndex, Task<IReadOnlyList<IncidentSnapshot>>> change, CancellationToken ct)
    {
        var idx = Index(scenario);
        try
        {
            await using var batch = await _store.BeginIncidentBatchAsync([scenario], ct).ConfigureAwait(false);
            var rev = await batch.GetRevisionAsync(scenario).ConfigureAwait(false);
            await SyncAsync(batch, idx, rev, now).ConfigureAwait(false);
            var changed = await change(batch, idx).ConfigureAwait(false);
            if (changed.Count == 0) return 0;
            await batch.UpsertIncidentsAsync(changed.Select(i => ToRow(i, rev + 1, now)).ToList()).ConfigureAwait(false);
            foreach (var i in changed.Where(i => !i.IsOpen)) await batch.MarkEpisodesEndedAsync(i.Id.ToString()).ConfigureAwait(false);
            await batch.SetRevisionAsync(scenario, rev + 1).ConfigureAwait(false);
            await batch.CommitAsync().ConfigureAwait(false);
            idx.Revision = rev + 1;
            return changed.Count;
        }
        catch
        {
            idx.Clear();
            throw;
        }
    }

    /// <summary>An event's evidence reference as stored in evidence_meta.</summary>
    internal static EvidenceMetaRow Meta(EvidenceRef x, EdgeEvent e, Guid incidentId, long at) => new()
    {
        EvidenceId = x.Id, DeviceId = e.DeviceId, CameraId = e.Camera.Id, IncidentId = incidentId.ToString(), EventId = e.EventId.ToString(),
        Kind = x.Kind, ContentType = x.ContentType, Bytes = x.Bytes, Sha256 = x.Sha256, Width = x.Width, Height = x.Height,
        StartTime = x.StartTime is { } st ? UnixMs.From(st) : null, EndTime = x.EndTime is { } et ? UnixMs.From(et) : null,
        Blurred = x.Blurred switch { true => 1, false => 0, null => null }, Delivery = x.Delivery == EvidenceDelivery.OnDevice ? "on_device" : "attached",
        CreatedAt = at,
    };

    private static IncidentRow ToRow(IncidentSnapshot i, long revision, DateTimeOffset now) => new()
    {
        IncidentId = i.Id.ToString(), Scenario = i.Scenario, State = i.State, Lat = i.Lat, Lon = i.Lon, ZoneId = i.ZoneId,
        FirstSeen = UnixMs.From(i.FirstSeen), LastSeen = UnixMs.From(i.LastSeen), ClosedAt = i.ClosedAt is { } c ? UnixMs.From(c) : null,
        CloseReason = i.CloseReason, EventCount = i.EventCount, Revision = revision, CreatedAt = UnixMs.From(i.CreatedAt), UpdatedAt = UnixMs.From(now),
        GridCode = i.GridCode,
    };

    private static IncidentCameraRow ToRow(Guid incidentId, CameraTrack c) => new()
    {
        IncidentId = incidentId.ToString(), DeviceId = c.DeviceId, CameraId = c.CameraId, Lat = c.Lat, Lon = c.Lon, ZoneId = c.ZoneId,
        LastBox = c.LastBox?.ToString(), LastEpisodeId = c.LastEpisodeId.ToString(), FirstSeen = UnixMs.From(c.FirstSeen), LastSeen = UnixMs.From(c.LastSeen), EventCount = c.EventCount,
    };

    private static IncidentSnapshot FromRows(IncidentRow row, IEnumerable<IncidentCameraRow> cameras, IEnumerable<EpisodeRow> activeEpisodes)
    {
        var s = new IncidentSnapshot
        {
            Id = Guid.Parse(row.IncidentId), Scenario = row.Scenario, ZoneId = row.ZoneId, Lat = row.Lat, Lon = row.Lon, State = row.State,
            FirstSeen = UnixMs.ToTime(row.FirstSeen), LastSeen = UnixMs.ToTime(row.LastSeen), ClosedAt = UnixMs.ToTime(row.ClosedAt),
            CloseReason = row.CloseReason, EventCount = row.EventCount, CreatedAt = UnixMs.ToTime(row.CreatedAt), GridCode = row.GridCode,
        };
        foreach (var c in cameras)
        {
            s.Cameras.Add(new CameraTrack
            {
                DeviceId = c.DeviceId, CameraId = c.CameraId, Lat = c.Lat, Lon = c.Lon, ZoneId = c.ZoneId, LastBox = Box.Parse(c.LastBox),
                LastEpisodeId = Guid.TryParse(c.LastEpisodeId, out var ep) ? ep : Guid.Empty, FirstSeen = UnixMs.ToTime(c.FirstSeen),
                LastSeen = UnixMs.ToTime(c.LastSeen), EventCount = c.EventCount,
            });
        }
        foreach (var e in activeEpisodes) s.ActiveEpisodes.Add(Guid.Parse(e.EpisodeId));
        return s;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Incident {IncidentId} opened: {Scenario} seen by {DeviceId}/{CameraId}")]
    private partial void LogIncidentOpened(Guid incidentId, string scenario, string deviceId, string cameraId);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Event {EventId} → incident {IncidentId} ({Reason})")]
    private partial void LogCorrelated(Guid eventId, Guid incidentId, CorrelationReason reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Index {Scenario} synced from revision {From} to {To}: {Loaded} loaded, {Count} held")]
    private partial void LogIndexSynced(string scenario, long from, long to, int loaded, int count);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Storing a batch of {Count} events failed (attempt {Attempt}); retrying")]
    private partial void LogBatchRetry(Exception ex, int count, int attempt);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Incident {IncidentId} reopened: {Reason}")]
    private partial void LogReopened(Guid incidentId, string reason);
}
