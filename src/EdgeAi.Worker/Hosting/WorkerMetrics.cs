using System.Diagnostics;
using System.Diagnostics.Metrics;
using EdgeAi.Messaging;
using EdgeAi.Worker.Health;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// The worker's metrics on the "EdgeAi.Worker" meter, served at /metrics. Per camera (label <c>camera</c>): frames
/// in/analysed/dropped, reconnects, decode errors, state, last-frame age, and latency histograms of inference,
/// the whole pipeline (arrival → detections) and analytics. Per device: outbox depth and MQTT connection state.
/// Counters are read from the live <see cref="CameraHealth"/> objects at scrape time, so the hot path pays nothing.
/// </summary>
internal sealed class WorkerMetrics : IDisposable
{
    public const string MeterName = "EdgeAi.Worker";

    /// <summary>Millisecond buckets from 1 ms (a tiny model on GPU) to 10 s (a stalled CPU box).</summary>
    private static readonly double[] LatencyBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private static readonly CameraState[] States = Enum.GetValues<CameraState>();

    private readonly Meter _meter = new(MeterName);
    private readonly WorkerState _state;
    private readonly Histogram<double> _inference, _pipeline, _analytics;

    public WorkerMetrics(WorkerState state)
    {
        _state = state;
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        _inference = _meter.CreateHistogram("edgeai_inference_latency_ms", "ms", "Detector run time per frame (batch time / batch size)", advice: advice);
        _pipeline = _meter.CreateHistogram("edgeai_pipeline_latency_ms", "ms", "Frame arrival to detections ready (queueing + inference)", advice: advice);
        _analytics = _meter.CreateHistogram("edgeai_analytics_latency_ms", "ms", "Tracker, zones, rules and evidence per analysed frame", advice: advice);

        PerCamera("edgeai_camera_frames_in_total", "Frames read from the camera's ffmpeg", h => h.FramesIn, counter: true);
        PerCamera("edgeai_camera_frames_analysed_total", "Frames that went through the detector", h => h.FramesAnalysed, counter: true);
        PerCamera("edgeai_camera_frames_dropped_total", "Frames dropped by the bounded queues (latest frame wins)", h => h.Dropped, counter: true);
        PerCamera("edgeai_camera_reconnects_total", "Stream reconnects (ffmpeg restarts)", h => h.Reconnects, counter: true);
        PerCamera("edgeai_camera_decode_errors_total", "Decoder errors reported by ffmpeg", h => h.DecodeErrors, counter: true);
        PerCamera("edgeai_camera_streaming", "1 while frames arrive, else 0", h => h.State == CameraState.Streaming ? 1 : 0, counter: false);
        _meter.CreateObservableGauge("edgeai_camera_state", () => _state.Cameras.SelectMany(h => States.Select(s =>
            new Measurement<int>(h.State == s ? 1 : 0, new("camera", h.CameraId), new("state", s.ToString().ToLowerInvariant())))),
            description: "1 for the camera's current ingest state, 0 for the others");
        _meter.CreateObservableGauge("edgeai_camera_last_frame_age_seconds", () => _state.Cameras
            .Where(h => h.LastFrameAgeSeconds is not null)
            .Select(h => new Measurement<double>(h.LastFrameAgeSeconds!.Value, new KeyValuePair<string, object?>("camera", h.CameraId))),
            "s", "Seconds since the camera's last frame");
        _meter.CreateObservableGauge("edgeai_cameras", () => _state.Cameras.Count, description: "Cameras running");

        _meter.CreateObservableGauge("edgeai_outbox_events", () => _state.Outbox?.Depth.Events ?? 0, description: "Events waiting in the durable outbox");
        _meter.CreateObservableGauge("edgeai_outbox_evidence_blobs", () => _state.Outbox?.Depth.EvidenceBlobs ?? 0, description: "Evidence images waiting in the outbox");
        _meter.CreateObservableGauge("edgeai_outbox_bytes", () => _state.Outbox?.Depth.Bytes ?? 0, "By", "Payload bytes held by the outbox");
        _meter.CreateObservableGauge("edgeai_outbox_oldest_age_seconds", () => _state.Outbox?.Depth.OldestAge(DateTimeOffset.UtcNow).TotalSeconds ?? 0, "s", "Age of the oldest undelivered event");
        _meter.CreateObservableCounter("edgeai_outbox_shed_events_total", () => _state.Outbox?.Depth.ShedEvents ?? 0, description: "Events dropped by the outbox's disk budget or age limit");
        _meter.CreateObservableCounter("edgeai_outbox_shed_evidence_total", () => _state.Outbox?.Depth.ShedEvidence ?? 0, description: "Evidence images dropped by the outbox's disk budget or age limit");

        _meter.CreateObservableGauge("edgeai_mqtt_connected", () => _state.Mqtt?.State == MqttConnectionState.Connected ? 1 : 0, description: "1 while connected to the broker");
        _meter.CreateObservableGauge("edgeai_worker_ready", () => _state.NotReadyReasons().Count == 0 ? 1 : 0, description: "1 when /readyz answers 200");
        _meter.CreateObservableGauge("edgeai_worker_info", () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", _state.Version ?? "unknown"),
            new KeyValuePair<string, object?>("device", _state.Config.DeviceId)), description: "Build and device information");
        _meter.CreateObservableGauge("edgeai_worker_uptime_seconds", () => (DateTimeOffset.UtcNow - _state.Started).TotalSeconds, "s", "Seconds since the worker started");
    }

    /// <summary>Connects a camera's latency recorders to the histograms (label camera=id).</summary>
    public void Attach(CameraHealth health)
    {
        var tags = new TagList { { "camera", health.CameraId } };
        health.InferenceLatency.Attach(_inference, tags);
        health.PipelineLatency.Attach(_pipeline, tags);
        health.AnalyticsLatency.Attach(_analytics, tags);
    }

    private void PerCamera(string name, string description, Func<CameraHealth, long> value, bool counter)
    {
        IEnumerable<Measurement<long>> Observe() => _state.Cameras.Select(h => new Measurement<long>(value(h), new KeyValuePair<string, object?>("camera", h.CameraId)));
        if (counter) _meter.CreateObservableCounter(name, Observe, description: description);
        else _meter.CreateObservableGauge(name, Observe, description: description);
    }

    public void Dispose() => _meter.Dispose();
}
