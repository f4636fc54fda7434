using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Tests.Tracking;

public sealed class TrackerOptionsForModelTests
{
    [Theory]
    [InlineData(0.35f, 0.35f)]   // the demo detector: tracks start where its detections are trusted
    [InlineData(0.05f, 0.1f)]    // never below the low (second-stage) threshold
    [InlineData(0.7f, 0.5f)]     // never stricter than the default
    public void ForModel_TrackThresholdsFollowTheManifest(float confidence, float expected)
    {
        var options = TrackerOptions.ForModel(new ManifestThresholds(confidence));
        Assert.Equal(expected, options.HighThreshold);
        Assert.Equal(expected, options.NewTrackThreshold);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void ForModel_DetectionAtManifestThreshold_StartsATrack()
    {
        var tracker = new ObjectTracker(TrackerOptions.ForModel(new ManifestThresholds(0.35f)));
        var t0 = DateTimeOffset.UnixEpoch;
        var can = new Worker.Detection.Detection(1, "litter", 0.44f, BoxF.FromCenter(0.71f, 0.58f, 0.02f, 0.04f));
        for (var i = 0; i < 3; i++) tracker.Update([can], t0.AddSeconds(i));
        Assert.Contains(tracker.Update([can], t0.AddSeconds(3)), t => t.IsConfirmed);
        Assert.DoesNotContain(new ObjectTracker().Update([can], t0), t => true);   // the fixed 0.5 default never starts it
    }
}
