using System.Data.Common;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
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
internal sealed partial class IncidentService : IIncidentReopener
{
    private readonly CentralStore _store;
    private readonly CentralOptions _options;
    private readonly TimeProvider _time;
    private readonly OutboxSignal _signal;
    private readonly CaseOpener _cases;
    private readonly CentralMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, IncidentIndex> _indexes = new(StringComparer.Ordinal);
    private readonly List<IncidentSnapshot> _scratch = [];

    public IncidentService(CentralStore store, CentralOptions options, TimeProvider time, OutboxSignal signal, CentralMetrics metrics, ILogger<IncidentService> logger)
        : this(store, options, time, signal, new CaseOpener(options), metrics, logger)
    {
    }

    public IncidentService(CentralStore store, CentralOptions options, TimeProvider time, OutboxSignal signal, CaseOpener cases, CentralMetrics metrics, ILogger<IncidentService> logger)
    {
        _cases = cases;
        _store = store;
        _options = options;
        _time = time;
        _signal = signal;
        _metrics = metrics;
        _logger = logger;
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
            var rejected = new List<(ReceivedEvent, string)>();
            var rows = new IngestRows();
            var duplicates = 0;

            foreach (var r in events.OrderBy(e => e.Event.DetectionTime))
            {
                var e = r.Event;
                if (existing.Contains(e.EventId.ToString()) || !seen.Add(e.EventId))
                {
                    duplicates++;
                    continue;
                }
                var correlated = await CorrelateAsync(batch, e, episodes, now).ConfigureAwait(false);
                if (correlated.Rejection is { } why)
                {
                    rejected.Add((r, why));
                    continue;
                }
                var incident = correlated.Incident!;
                if (correlated.IsNew) created.Add((incident, e));
                IncidentLifecycle.Apply(incident, e, correlated.Box, Index(e.Scenario), _options.Correlation.For(e.Scenario), correlated.Reason, now);
                dirty[incident.Id] = incident;
                rows.Add(r, incident.Id);
                LogCorrelated(e.EventId, incident.Id, correlated.Reason);
            }

            var touched = dirty.Values.Select(i => i.Scenario).Distinct(StringComparer.Ordinal).ToList();
            await batch.UpsertIncidentsAsync(dirty.Values.Select(i => ToRow(i, revisions[i.Scenario] + 1, now)).ToList()).ConfigureAwait(false);
            await batch.UpsertCamerasAsync(dirty.Values.SelectMany(i => i.Cameras.Select(c => ToRow(i.Id, c))).ToList()).ConfigureAwait(false);
            foreach (var incident in dirty.Values.Where(i => !i.IsOpen)) await batch.MarkEpisodesEndedAsync(incident.Id.ToString()).ConfigureAwait(false);
            await rows.WriteAsync(batch).ConfigureAwait(false);
            foreach (var (incident, first) in created)
                await _cases.OpenAsync(batch, new NewCase(incident.Id.ToString(), incident.Scenario, incident.GridCode, first), now).ConfigureAwait(false);
            foreach (var s in touched) await batch.SetRevisionAsync(s, revisions[s] + 1).ConfigureAwait(false);
            await batch.CommitAsync().ConfigureAwait(false);

            foreach (var s in scenarios) Index(s).Revision = touched.Contains(s) ? revisions[s] + 1 : revisions[s];
            foreach (var (incident, _) in created) LogIncidentOpened(incident.Id, incident.Scenario, incident.Cameras[0].DeviceId, incident.Cameras[0].CameraId);
            return new IngestResult(rows.Events, duplicates, created.Count, rejected);
        }
        catch
        {
            // The indexes may hold changes that were rolled back: reload them from the database next time.
            foreach (var s in scenarios) Index(s).Clear();
            throw;
        }
    }

    /// <summary>The correlation of one event: its incident (new or known) and why, or why it cannot be stored.</summary>
    private readonly record struct Correlated(IncidentSnapshot? Incident, CorrelationReason Reason, Box? Box, bool IsNew, string? Rejection);

    /// <summary>
    /// Finds the event's incident: the one its episode already belongs to, else the nearest matching one of its
    /// scenario (<see cref="IncidentCorrelator"/>), else a new incident. <paramref name="episodes"/> learns the episode.
    /// </summary>
    private async Task<Correlated> CorrelateAsync(IncidentBatch batch, EdgeEvent e, Dictionary<string, string> episodes, DateTimeOffset now)
    {
        var idx = Index(e.Scenario);
        var box = Box.Around(e.Objects.Select(o => o.Box));
        var episodeKey = e.EpisodeId.ToString();
        if (episodes.TryGetValue(episodeKey, out var known))
        {
            var found = idx.Get(Guid.Parse(known)) ?? await LoadIntoIndexAsync(batch, idx, known).ConfigureAwait(false);
            return found is null
                ? new Correlated(null, CorrelationReason.Episode, box, false, $"episode {episodeKey} belongs to incident {known} of another scenario")
                : new Correlated(found, CorrelationReason.Episode, box, false, null);
        }
        var probe = new CorrelationProbe(e.DeviceId, e.Camera.Id, e.Camera.Lat, e.Camera.Lon, box, e.DetectionTime);
        var match = IncidentCorrelator.Find(idx, _options.Correlation.For(e.Scenario), probe, _scratch);
        var incident = match.Incident;
        if (incident is null)
        {
            incident = NewIncident(e, now);
            idx.Put(incident);
        }
        episodes[episodeKey] = incident.Id.ToString();
        return new Correlated(incident, match.Reason, box, match.Incident is null, null);
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
                    foreach (var i in list) IncidentLifecycle.Close(i, now, $"no events for {p.IdleClose.TotalMinutes:0.#} min");
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
                IncidentLifecycle.Reopen(incident);
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
