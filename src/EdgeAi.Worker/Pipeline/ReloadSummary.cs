namespace EdgeAi.Worker.Pipeline;

/// <summary>What a hot reload did, per camera id.</summary>
public sealed class ReloadSummary
{
    public List<string> Added { get; } = [];
    public List<string> Removed { get; } = [];

    /// <summary>Stream settings changed (URL, decode, model…): that camera's ffmpeg was restarted.</summary>
    public List<string> Restarted { get; } = [];

    /// <summary>Only zones, rules or quality thresholds changed: new analytics from the next frame, same stream.</summary>
    public List<string> Reconfigured { get; } = [];

    public List<string> Unchanged { get; } = [];
}
