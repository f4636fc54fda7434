using System.Collections.Concurrent;
using EdgeAi.Messaging;
using EdgeAi.Worker.Health;
using Prometheus;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// The worker's metrics (prometheus-net, one <see cref="Registry"/> per instance), served at /metrics. Per camera
/// (label <c>camera</c>): frames in/analysed/dropped, reconnects, decode errors, state, last-frame age, and latency
/// histograms of inference, the whole pipeline (arrival → detections) and analytics. Per device: outbox depth and MQTT
/// connection state. Counters and gauges are read from the live <see cref="CameraHealth"/> objects and the outbox at
/// scrape time (a before-collect callback), so the hot path pays nothing for them; a camera removed by a reload leaves
/// those families at the next scrape. Only the histograms are fed per frame (through <see cref="LatencyRecorder"/>).
/// </summary>
internal sealed class WorkerMetrics
{
    /// <summary>Millisecond buckets from 1 ms (a tiny model on GPU) to 10 s (a stalled CPU box).</summary>
    private static readonly double[] LatencyBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private static readonly CameraState[] States = Enum.GetValues<CameraState>();
    private static readonly string[] StateNames = States.Select(s => s.ToString().ToLowerInvariant()).ToArray();

    private readonly WorkerState _state;
    private readonly Histogram _inference, _pipeline, _analytics;
    private readonly Counter _framesIn, _framesAnalysed, _framesDropped, _reconnects, _decodeErrors, _shedEvents, _shedEvidence;
    private readonly Gauge _streaming, _cameraState, _lastFrameAge, _cameras, _outboxEvents, _outboxEvidence, _outboxBytes, _outboxOldest,
        _mqttConnected, _ready, _uptime;
    private readonly Gauge _recordingBytes, _recordingSegments, _recordingSeconds;
    private readonly Counter _clips;
    private readonly ConcurrentDictionary<string, CameraSeries> _series = new(StringComparer.Ordinal);

    public WorkerMetrics(WorkerState state)
    {
        _state = state;
        var f = Metrics.WithCustomRegistry(Registry);
        Histogram Latency(string name, string help) => f.CreateHistogram(name, help, ["camera"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _inference = Latency("edgeai_inference_latency_ms", "Detector run time per frame (batch time / batch size)");
        _pipeline = Latency("edgeai_pipeline_latency_ms", "Frame arrival to detections ready (queueing + inference)");
        _analytics = Latency("edgeai_analytics_latency_ms", "Tracker, zones, rules and evidence per analysed frame");

        _framesIn = f.CreateCounter("edgeai_camera_frames_in_total", "Frames read from the camera's ffmpeg", "camera");
        _framesAnalysed = f.CreateCounter("edgeai_camera_frames_analysed_total", "Frames that went through the detector", "camera");
        _framesDropped = f.CreateCounter("edgeai_camera_frames_dropped_total", "Frames dropped by the bounded queues (latest frame wins)", "camera");
        _reconnects = f.CreateCounter("edgeai_camera_reconnects_total", "Stream reconnects (ffmpeg restarts)", "camera");
        _decodeErrors = f.CreateCounter("edgeai_camera_decode_errors_total", "Decoder errors reported by ffmpeg", "camera");
        _streaming = f.CreateGauge("edgeai_camera_streaming", "1 while frames arrive, else 0", "camera");
        _cameraState = f.CreateGauge("edgeai_camera_state", "1 for the camera's current ingest state, 0 for the others", "camera", "state");
        _lastFrameAge = f.CreateGauge("edgeai_camera_last_frame_age_seconds", "Seconds since the camera's last frame", "camera");
        _cameras = f.CreateGauge("edgeai_cameras", "Cameras running");

        _outboxEvents = f.CreateGauge("edgeai_outbox_events", "Events waiting in the durable outbox");
        _outboxEvidence = f.CreateGauge("edgeai_outbox_evidence_blobs", "Evidence images waiting in the outbox");
        _outboxBytes = f.CreateGauge("edgeai_outbox_bytes", "Payload bytes held by the outbox");
        _outboxOldest = f.CreateGauge("edgeai_outbox_oldest_age_seconds", "Age of the oldest undelivered event");
        _shedEvents = f.CreateCounter("edgeai_outbox_shed_events_total", "Events dropped by the outbox's disk budget or age limit");
        _shedEvidence = f.CreateCounter("edgeai_outbox_shed_evidence_total", "Evidence images dropped by the outbox's disk budget or age limit");

        _recordingBytes = f.CreateGauge("edgeai_recording_bytes", "Bytes on disk in the camera's rolling recording", "camera");
        _recordingSegments = f.CreateGauge("edgeai_recording_segments", "Segments in the camera's rolling recording", "camera");
        _recordingSeconds = f.CreateGauge("edgeai_recording_seconds", "Seconds of video in the camera's rolling recording", "camera");
        _clips = f.CreateCounter("edgeai_clips_total", "Event clips cut from the camera's recording", "camera");

        _mqttConnected = f.CreateGauge("edgeai_mqtt_connected", "1 while connected to the broker");
        _ready = f.CreateGauge("edgeai_worker_ready", "1 when /readyz answers 200");
        f.CreateGauge("edgeai_worker_info", "Build and device information", "version", "device").WithLabels(state.Version ?? "unknown", state.Config.DeviceId).Set(1);
        _uptime = f.CreateGauge("edgeai_worker_uptime_seconds", "Seconds since the worker started");
        Registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>This instance's metrics (what /metrics serves).</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Connects a camera's latency recorders to the histograms (label camera=id).</summary>
    public void Attach(CameraHealth health)
    {
        health.InferenceLatency.Attach(_inference.WithLabels(health.CameraId).Observe);
        health.PipelineLatency.Attach(_pipeline.WithLabels(health.CameraId).Observe);
        health.AnalyticsLatency.Attach(_analytics.WithLabels(health.CameraId).Observe);
    }

    /// <summary>Reads the live state into the counters and gauges; runs before each collection, possibly on two scrapes at once.</summary>
    private void Refresh()
    {
        var cameras = _state.Cameras;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in cameras)
        {
            ids.Add(h.CameraId);
            _series.GetOrAdd(h.CameraId, id => new CameraSeries(this, id)).Set(h);
        }
        // Cameras removed by a reload leave (their histograms stay: they are cumulative and a camera may come back).
        foreach (var id in _series.Keys)
            if (!ids.Contains(id) && _series.TryRemove(id, out var gone)) gone.Remove();
        _cameras.Set(cameras.Count);

        var now = _state.Time.GetUtcNow();
        var depth = _state.Outbox?.Depth;
        _outboxEvents.Set(depth?.Events ?? 0);
        _outboxEvidence.Set(depth?.EvidenceBlobs ?? 0);
        _outboxBytes.Set(depth?.Bytes ?? 0);
        _outboxOldest.Set(depth?.OldestAge(now).TotalSeconds ?? 0);
        _shedEvents.IncTo(depth?.ShedEvents ?? 0);
        _shedEvidence.IncTo(depth?.ShedEvidence ?? 0);

        _mqttConnected.Set(_state.MqttConnected ? 1 : 0);
        _ready.Set(_state.NotReadyReasons().Count == 0 ? 1 : 0);
        _uptime.Set((now - _state.Started).TotalSeconds);
    }

    /// <summary>One camera's counter and gauge series, looked up once rather than at every scrape.</summary>
    private sealed class CameraSeries(WorkerMetrics m, string id)
    {
        private readonly Counter.Child _in = m._framesIn.WithLabels(id), _analysed = m._framesAnalysed.WithLabels(id),
            _dropped = m._framesDropped.WithLabels(id), _reconnects = m._reconnects.WithLabels(id), _decodeErrors = m._decodeErrors.WithLabels(id);
        private readonly Gauge.Child _streaming = m._streaming.WithLabels(id);
        private readonly Gauge.Child[] _states = StateNames.Select(s => m._cameraState.WithLabels(id, s)).ToArray();

        public void Set(CameraHealth h)
        {
            _in.IncTo(h.FramesIn);
            _analysed.IncTo(h.FramesAnalysed);
            _dropped.IncTo(h.Dropped);
            _reconnects.IncTo(h.Reconnects);
            _decodeErrors.IncTo(h.DecodeErrors);
            var current = h.State;
            _streaming.Set(current == CameraState.Streaming ? 1 : 0);
            for (var i = 0; i < States.Length; i++) _states[i].Set(States[i] == current ? 1 : 0);
            if (h.LastFrameAgeSeconds is { } age) m._lastFrameAge.WithLabels(id).Set(age);
            else m._lastFrameAge.RemoveLabelled(id);
            if (h.Recording is { } r)
            {
                m._recordingBytes.WithLabels(id).Set(r.Bytes);
                m._recordingSegments.WithLabels(id).Set(r.Count);
                m._recordingSeconds.WithLabels(id).Set(r.Seconds);
                m._clips.WithLabels(id).IncTo(r.ClipsMade);
            }
        }

        public void Remove()
        {
            foreach (var c in new[] { m._framesIn, m._framesAnalysed, m._framesDropped, m._reconnects, m._decodeErrors }) c.RemoveLabelled(id);
            m._streaming.RemoveLabelled(id);
            m._lastFrameAge.RemoveLabelled(id);
            foreach (var g in new[] { m._recordingBytes, m._recordingSegments, m._recordingSeconds }) g.RemoveLabelled(id);
            m._clips.RemoveLabelled(id);
            foreach (var s in StateNames) m._cameraState.RemoveLabelled(id, s);
        }
    }
}
