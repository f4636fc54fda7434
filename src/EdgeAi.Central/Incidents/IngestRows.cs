using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Incidents;

/// <summary>
/// The rows one ingested batch writes besides its incidents: each accepted event (with its evidence references),
/// its episode, the camera's name and place, and each device's highest sequence. Filled event by event once
/// correlation has put the event into an incident, written in the batch's transaction.
/// </summary>
internal sealed class IngestRows
{
    private readonly Dictionary<string, EpisodeRow> _episodes = new(StringComparer.Ordinal);
    private readonly List<EventRow> _events = [];
    private readonly List<EventEvidenceRow> _evidence = [];
    private readonly List<EvidenceMetaRow> _evidenceMeta = [];
    private readonly Dictionary<(string, string), CameraRow> _cameras = [];
    private readonly Dictionary<string, (long Seq, long At)> _sequences = new(StringComparer.Ordinal);

    /// <summary>Events accepted so far.</summary>
    public int Events => _events.Count;

    public void Add(ReceivedEvent received, Guid incidentId)
    {
        var e = received.Event;
        var episodeKey = e.EpisodeId.ToString();
        var incident = incidentId.ToString();
        var ended = e.Type == EventType.Ended ? 1L : 0L;
        var t = UnixMs.From(e.DetectionTime);
        if (_episodes.TryGetValue(episodeKey, out var ep))
        {
            ep.Ended = Math.Max(ep.Ended, ended);
            ep.LastSeen = Math.Max(ep.LastSeen, t);
        }
        else
        {
            _episodes[episodeKey] = new EpisodeRow { EpisodeId = episodeKey, IncidentId = incident, DeviceId = e.DeviceId, CameraId = e.Camera.Id, Ended = ended, FirstSeen = t, LastSeen = t };
        }
        _events.Add(new EventRow
        {
            EventId = e.EventId.ToString(), EpisodeId = episodeKey, IncidentId = incident, DeviceId = e.DeviceId, CameraId = e.Camera.Id,
            Scenario = e.Scenario, Type = e.Type.ToString().ToLowerInvariant(), Sequence = e.Sequence, DetectionTime = t,
            ReceivedAt = UnixMs.From(received.ReceivedAt), Payload = received.Json,
        });
        _evidence.AddRange(e.Evidence.Select(x => new EventEvidenceRow { EventId = e.EventId.ToString(), EvidenceId = x.Id, Sha256 = x.Sha256, Bytes = x.Bytes, ContentType = x.ContentType, Kind = x.Kind }));
        // every event of an episode may bring evidence (a clip comes on a later updated or the ended event): all link to the incident
        _evidenceMeta.AddRange(e.Evidence.Select(x => Meta(x, e, incidentId, UnixMs.From(received.ReceivedAt))));
        _cameras[(e.DeviceId, e.Camera.Id)] = new CameraRow { DeviceId = e.DeviceId, CameraId = e.Camera.Id, Name = e.Camera.Name, Lat = e.Camera.Lat, Lon = e.Camera.Lon, LastEventAt = t };
        _sequences[e.DeviceId] = _sequences.TryGetValue(e.DeviceId, out var sq) ? (Math.Max(sq.Seq, e.Sequence), Math.Max(sq.At, t)) : (e.Sequence, t);
    }

    /// <summary>An event's evidence reference as stored in evidence_meta.</summary>
    internal static EvidenceMetaRow Meta(EvidenceRef x, EdgeEvent e, Guid incidentId, long at) => new()
    {
        EvidenceId = x.Id, DeviceId = e.DeviceId, CameraId = e.Camera.Id, IncidentId = incidentId.ToString(), EventId = e.EventId.ToString(),
        Kind = x.Kind, ContentType = x.ContentType, Bytes = x.Bytes, Sha256 = x.Sha256, Width = x.Width, Height = x.Height,
        StartTime = x.StartTime is { } st ? UnixMs.From(st) : null, EndTime = x.EndTime is { } et ? UnixMs.From(et) : null,
        Blurred = x.Blurred switch { true => 1, false => 0, null => null }, Delivery = EvidenceMetaRow.DeliveryOf(x),
        CreatedAt = at,
    };

    public async Task WriteAsync(IncidentBatch batch)
    {
        await batch.UpsertEpisodesAsync(_episodes.Values).ConfigureAwait(false);
        await batch.InsertEventsAsync(_events, _evidence).ConfigureAwait(false);
        await batch.InsertEvidenceMetaAsync(_evidenceMeta).ConfigureAwait(false);
        await batch.UpsertCameraInfosAsync(_cameras.Values).ConfigureAwait(false);
        foreach (var (device, (seq, at)) in _sequences) await batch.UpsertDeviceSequenceAsync(device, seq, at).ConfigureAwait(false);
    }
}
