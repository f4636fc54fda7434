namespace EdgeAi.Worker.Health;

/// <summary>Ingest state of one camera.</summary>
public enum CameraState
{
    /// <summary>ffmpeg started, no frame yet.</summary>
    Connecting,
    /// <summary>Frames are arriving.</summary>
    Streaming,
    /// <summary>Frames arrive but the stream is damaged: the decoder reported errors within the last
    /// <see cref="FrameRate.WindowSeconds"/> s (corrupted H.264, packet loss). Reported in health snapshots only.</summary>
    Degraded,
    /// <summary>The last attempt failed with a transient error; waiting before the next one.</summary>
    Backoff,
    /// <summary>The camera cannot be used as configured (unreachable for long, not video, refused); still retried at the backoff cap.</summary>
    Failed,
    /// <summary>Disabled in config or the worker is stopping.</summary>
    Stopped,
}
