using System.Runtime.InteropServices;
using EdgeAi.Worker.Detection;

namespace EdgeAi.Worker.Tracking;

/// <summary>
/// ByteTrack-style multi-object tracker for one camera. Per frame: constant-velocity prediction, then
/// (1) high-score detections ↔ confirmed and lost tracks, (2) low-score detections ↔ still-unmatched tracks that
/// were visible last frame, (3) remaining high-score detections ↔ tentative tracks; association is class-aware,
/// greedy by (buffered) IoU, then (4) remaining high-score detections ↔ any still-unmatched track by centre
/// distance in box sizes (low frame rates: a walker moves more than its width between key frames, so IoU is 0).
/// Unmatched high-score detections start tentative tracks, confirmed after
/// <see cref="TrackerOptions.MinHits"/>; low-score detections never start one. Lost tracks are kept for
/// <see cref="TrackerOptions.MaxLostFrames"/> frames or <see cref="TrackerOptions.MaxLostTime"/>.
/// Not thread-safe: one instance per camera, called from that camera's analytics stage. No allocation per frame
/// in the steady state (buffers grow to the largest frame seen; track objects are pooled).
/// </summary>
internal sealed class ObjectTracker
{
    private readonly TrackerOptions _options;
    private readonly long _horizonTicks;
    private readonly long _windowTicks;
    private readonly long _minSampleTicks;
    private readonly long _maxLostTicks;
    private readonly List<Track> _tracks = new(64);
    private readonly Stack<Track> _pool = new();
    private readonly List<TrackedObject> _output = new(64);
    private int[] _high = new int[64];
    private int[] _low = new int[64];
    private bool[] _detectionUsed = new bool[64];
    private Candidate[] _candidates = new Candidate[256];
    private long _nextId = 1;
    private long _lastTicks = long.MinValue;

    public ObjectTracker(TrackerOptions? options = null)
    {
        _options = options ?? new TrackerOptions();
        var errors = _options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _horizonTicks = _options.MaxPredictionHorizon.Ticks;
        _windowTicks = _options.MotionWindow.Ticks;
        _minSampleTicks = _windowTicks / 16;
        _maxLostTicks = _options.MaxLostTime.Ticks;
    }

    public TrackerOptions Options => _options;

    /// <summary>Tracks currently held, tentative, visible and lost together.</summary>
    public int TrackCount => _tracks.Count;

    /// <summary>
    /// Associates one frame's detections (boxes normalised to the source frame) captured at <paramref name="time"/>.
    /// Returns the tracks matched in this frame, tentative ones included (see <see cref="TrackedObject.IsConfirmed"/>).
    /// The list is owned by the tracker and valid until the next call; copy what must outlive it.
    /// A time earlier than the previous frame's is treated as equal to it.
    /// </summary>
    public IReadOnlyList<TrackedObject> Update(ReadOnlySpan<Detection.Detection> detections, DateTimeOffset time)
    {
        var ticks = Math.Max(time.UtcTicks, _lastTicks);
        _lastTicks = ticks;
        EnsureCapacity(detections.Length);

        foreach (var track in _tracks)
        {
            track.Predict(ticks, _horizonTicks);
            track.MatchedDetection = -1;
        }

        int nHigh = 0, nLow = 0;
        for (var i = 0; i < detections.Length; i++)
        {
            _detectionUsed[i] = false;
            var c = detections[i].Confidence;
            if (c >= _options.HighThreshold) _high[nHigh++] = i;
            else if (c >= _options.LowThreshold) _low[nLow++] = i;
        }

        Associate(detections, _high.AsSpan(0, nHigh), Stage.HighToConfirmed, _options.MatchIou);
        Associate(detections, _low.AsSpan(0, nLow), Stage.LowToVisible, _options.LowMatchIou);
        Associate(detections, _high.AsSpan(0, nHigh), Stage.HighToTentative, _options.TentativeMatchIou);
        if (_options.MaxCenterDistance > 0) Associate(detections, _high.AsSpan(0, nHigh), Stage.HighByDistance, 0);

        _output.Clear();
        for (var i = _tracks.Count - 1; i >= 0; i--)
        {
            var track = _tracks[i];
            if (track.MatchedDetection >= 0)
            {
                track.Update(detections[track.MatchedDetection], ticks, _options.MinHits, _minSampleTicks);
                continue;
            }
            track.LostFrames++;
            if (!track.IsConfirmed || track.LostFrames > _options.MaxLostFrames || ticks - track.LastSeenTicks > _maxLostTicks)
                Remove(i);
        }

        for (var k = 0; k < nHigh; k++)
        {
            var d = _high[k];
            if (_detectionUsed[d] || detections[d].Confidence < _options.NewTrackThreshold) continue;
            var track = _pool.Count > 0 ? _pool.Pop() : new Track();
            track.Start(_nextId++, detections[d], ticks, _options.MinHits <= 1);
            _tracks.Add(track);
        }

        foreach (var track in _tracks)
            if (track.LastSeenTicks == ticks) _output.Add(track.ToTrackedObject(_windowTicks));
        return _output;
    }

    /// <summary>Forgets every track (e.g. after a camera reconnect); ids keep increasing.</summary>
    public void Reset()
    {
        for (var i = _tracks.Count - 1; i >= 0; i--) Remove(i);
        _output.Clear();
        _lastTicks = long.MinValue;
    }

    private void Remove(int index)
    {
        var last = _tracks.Count - 1;
        _pool.Push(_tracks[index]);
        _tracks[index] = _tracks[last];
        _tracks.RemoveAt(last);
    }

    private void Associate(ReadOnlySpan<Detection.Detection> detections, ReadOnlySpan<int> candidatesIdx, Stage stage, float minIou)
    {
        if (candidatesIdx.IsEmpty) return;
        var tracks = CollectionsMarshal.AsSpan(_tracks);
        var buffer = _options.BoxBuffer;
        var n = 0;
        for (var t = 0; t < tracks.Length; t++)
        {
            var track = tracks[t];
            if (track.MatchedDetection >= 0) continue;
            var eligible = stage switch
            {
                Stage.HighToConfirmed => track.IsConfirmed,
                Stage.LowToVisible => track.IsConfirmed && track.LostFrames == 0,
                Stage.HighToTentative => !track.IsConfirmed,
                _ => true,
            };
            if (!eligible) continue;
            var predicted = stage == Stage.HighByDistance ? track.Predicted : Buffered(track.Predicted, buffer);
            foreach (var d in candidatesIdx)
            {
                if (_detectionUsed[d] || detections[d].ClassId != track.ClassId) continue;
                var score = stage == Stage.HighByDistance
                    ? DistanceScore(predicted, detections[d].Box, _options.MaxCenterDistance)
                    : predicted.IoU(Buffered(detections[d].Box, buffer));
                if (score < minIou || score <= 0) continue;
                if (n == _candidates.Length) Array.Resize(ref _candidates, n * 2);
                _candidates[n++] = new Candidate(t, d, score);
            }
        }
        if (n == 0) return;
        var span = _candidates.AsSpan(0, n);
        span.Sort(CandidateOrder);
        foreach (ref readonly var c in span)
        {
            var track = tracks[c.Track];
            if (track.MatchedDetection >= 0 || _detectionUsed[c.Detection]) continue;
            track.MatchedDetection = c.Detection;
            _detectionUsed[c.Detection] = true;
        }
    }

    /// <summary>
    /// 1 for coincident centres, falling to 0 at <paramref name="maxDistance"/> box sizes (the larger side of the
    /// predicted box); 0 when the sizes differ by more than 1.5× in either dimension.
    /// </summary>
    private static float DistanceScore(in BoxF predicted, in BoxF box, float maxDistance)
    {
        var w = MathF.Max(predicted.Width, 1e-4f);
        var h = MathF.Max(predicted.Height, 1e-4f);
        var rw = box.Width / w;
        var rh = box.Height / h;
        if (rw is < 1 / 1.5f or > 1.5f || rh is < 1 / 1.5f or > 1.5f) return 0;
        var dx = box.CenterX - predicted.CenterX;
        var dy = box.CenterY - predicted.CenterY;
        var d = MathF.Sqrt(dx * dx + dy * dy) / MathF.Max(w, h);
        return 1 - d / maxDistance;
    }

    private static BoxF Buffered(in BoxF b, float buffer)
    {
        if (buffer <= 0) return b;
        var bx = b.Width * buffer;
        var by = b.Height * buffer;
        return new BoxF(b.X1 - bx, b.Y1 - by, b.X2 + bx, b.Y2 + by);
    }

    private void EnsureCapacity(int detections)
    {
        if (_high.Length >= detections) return;
        var size = Math.Max(detections, _high.Length * 2);
        _high = new int[size];
        _low = new int[size];
        _detectionUsed = new bool[size];
    }

    private enum Stage { HighToConfirmed, LowToVisible, HighToTentative, HighByDistance }

    /// <param name="Iou">The stage's similarity: IoU, or the distance score in the last stage.</param>
    private readonly record struct Candidate(int Track, int Detection, float Iou);

    /// <summary>Highest IoU first; ties by track then detection index, so results are deterministic. A cached delegate:
    /// Span.Sort with an IComparer struct would box it and allocate a delegate on every call.</summary>
    private static readonly Comparison<Candidate> CandidateOrder = static (a, b) =>
    {
        var c = b.Iou.CompareTo(a.Iou);
        if (c != 0) return c;
        c = a.Track.CompareTo(b.Track);
        return c != 0 ? c : a.Detection.CompareTo(b.Detection);
    };
}
