using System.Collections.Concurrent;
using EdgeAi.Models.Devices;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Quality;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// Answers Central's "verify" command (a case was reported handled: is the litter, pothole, fisher or crowd really
/// gone?) with the camera's own rule for that zone and scenario on a frame analysed after the request (the second one,
/// so it describes the scene now): <c>still_present</c> while the rule's condition holds, <c>cleared</c> when it does not,
/// <c>unverifiable</c> when the camera's quality flags on that frame say it cannot see (<see cref="Blinding"/>). Every
/// answer but an error carries the after-photo: that same frame at the camera's resolution, the zone and any remaining
/// objects drawn, persons blurred per the rule (kind <c>after</c>).
/// </summary>
internal sealed class ZoneVerifier
{
    /// <summary>Quality flags under which the camera cannot confirm that something is gone: a frozen or black picture, a
    /// covered lens, a moved camera, or a washed-out picture. Blurred is not among them: a soft picture still shows a crowd or a pile.</summary>
    public static readonly IReadOnlySet<string> Blinding = new HashSet<string>(StringComparer.Ordinal)
    {
        QualityFlagNames.Frozen, QualityFlagNames.Black, QualityFlagNames.Occluded, QualityFlagNames.SceneChanged, QualityFlagNames.Overexposed,
    };

    private readonly ConcurrentDictionary<string, ScenarioAnalytics> _cameras = new();
    private readonly QualityBoard? _quality;
    private readonly TimeProvider _time;
    private readonly TimeSpan _freshFrameTimeout;

    /// <param name="quality">The cameras' quality diagnosis (null: not consulted).</param>
    /// <param name="freshFrameTimeout">How long to wait for the fresh frames before answering error. Default 30 s.</param>
    public ZoneVerifier(QualityBoard? quality = null, TimeProvider? time = null, TimeSpan? freshFrameTimeout = null)
    {
        _quality = quality;
        _time = time ?? TimeProvider.System;
        _freshFrameTimeout = freshFrameTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Called by the analytics factory (again after a hot reload: the newest analytics wins).</summary>
    public ScenarioAnalytics Register(string cameraId, ScenarioAnalytics analytics) => _cameras[cameraId] = analytics;

    public async Task<CommandOutcome> HandleAsync(DeviceCommand command, CancellationToken ct)
    {
        if (command.Type != DeviceCommandTypes.Verify) return Error($"unknown command type '{command.Type}'");
        if (!_cameras.TryGetValue(command.CameraId, out var analytics)) return Error($"no camera '{command.CameraId}' on this gateway");
        var rule = analytics.Rules.FirstOrDefault(r => r.Zone.Id == command.ZoneId && r.Scenario == command.Scenario);
        if (rule is null) return Error($"camera '{command.CameraId}' has no {command.Scenario} rule on zone '{command.ZoneId}'");

        VerificationFrame seen;
        try
        {
            seen = await analytics.VerifyAsync(rule, $"{command.CommandId:N}.verify", freshFrames: 2, FlagsOf(command.CameraId))
                .WaitAsync(_freshFrameTimeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return Error($"no frame from camera '{command.CameraId}' within {_freshFrameTimeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Error($"camera '{command.CameraId}' stopped before a fresh frame was analysed");
        }

        var blinding = seen.QualityFlags.Where(Blinding.Contains).ToList();
        if (blinding.Count > 0)
            return new CommandOutcome(CommandResult.Unverifiable,
                $"camera '{command.CameraId}' cannot see zone '{command.ZoneId}': quality flags {string.Join(",", blinding)}", seen.Evidence);
        return seen.Active
            ? new CommandOutcome(CommandResult.StillPresent, $"{command.Scenario} still detected in zone '{command.ZoneId}'", seen.Evidence)
            : new CommandOutcome(CommandResult.Cleared, $"no {command.Scenario} in zone '{command.ZoneId}'", seen.Evidence);
    }

    private Func<IReadOnlyList<string>>? FlagsOf(string cameraId) => _quality is { } q ? () => q.Get(cameraId)?.Flags ?? [] : null;

    private static CommandOutcome Error(string detail) => new(CommandResult.Error, detail, []);
}
