using System.Collections.Concurrent;
using EdgeAi.Models.Devices;
using EdgeAi.Worker.Pipeline;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// Answers Central's "verify" command (a case was reported handled: is the litter, pothole, fisher or crowd really
/// gone?) with the camera's own rule for that zone and scenario, after fresh frames: <c>still_present</c> while the
/// rule's condition holds, <c>cleared</c> when it does not.
/// </summary>
internal sealed class ZoneVerifier
{
    private readonly ConcurrentDictionary<string, ScenarioAnalytics> _cameras = new();
    private readonly TimeSpan _freshFrameTimeout;

    public ZoneVerifier(TimeSpan? freshFrameTimeout = null) => _freshFrameTimeout = freshFrameTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Called by the analytics factory (again after a hot reload: the newest analytics wins).</summary>
    public ScenarioAnalytics Register(string cameraId, ScenarioAnalytics analytics) => _cameras[cameraId] = analytics;

    public async Task<CommandOutcome> HandleAsync(DeviceCommand command, CancellationToken ct)
    {
        if (command.Type != DeviceCommandTypes.Verify) return Error($"unknown command type '{command.Type}'");
        if (!_cameras.TryGetValue(command.CameraId, out var analytics)) return Error($"no camera '{command.CameraId}' on this gateway");
        var rule = analytics.Rules.FirstOrDefault(r => r.Zone.Id == command.ZoneId && r.Scenario == command.Scenario);
        if (rule is null) return Error($"camera '{command.CameraId}' has no {command.Scenario} rule on zone '{command.ZoneId}'");

        // Two frames analysed after the request: the answer describes the scene now, not before the command.
        var seen = analytics.FramesProcessed;
        var deadline = DateTime.UtcNow + _freshFrameTimeout;
        while (analytics.FramesProcessed < seen + 2)
        {
            if (DateTime.UtcNow > deadline) return Error($"no frame from camera '{command.CameraId}' within {_freshFrameTimeout.TotalSeconds:0} s");
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        return rule.IsActive
            ? new CommandOutcome(CommandResult.StillPresent, $"{command.Scenario} still detected in zone '{command.ZoneId}'", [])
            : new CommandOutcome(CommandResult.Cleared, $"no {command.Scenario} in zone '{command.ZoneId}'", []);
    }

    private static CommandOutcome Error(string detail) => new(CommandResult.Error, detail, []);
}
