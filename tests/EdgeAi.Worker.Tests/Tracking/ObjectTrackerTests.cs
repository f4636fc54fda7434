using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Tracking;
using Det = EdgeAi.Worker.Detection.Detection;

namespace EdgeAi.Worker.Tests.Tracking;

public sealed class ObjectTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);

    private static Det Person(float cx, float cy, float conf = 0.9f) => new(0, "person", conf, BoxF.FromCenter(cx, cy, 0.05f, 0.15f));

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static TrackedObject Single(IReadOnlyList<TrackedObject> tracks) => Assert.Single(tracks);

    [Fact]
    public void Update_CrossingObjects_KeepTheirIds()
    {
        var tracker = new ObjectTracker();
        long rightId = 0, leftId = 0;
        for (var f = 0; f <= 40; f++)
        {
            // Two persons walk towards each other at 2 fps, cross at f = 20 (boxes coincide) and walk on.
            var right = Person(0.1f + 0.02f * f, 0.50f);
            var left = Person(0.9f - 0.02f * f, 0.51f);
            var tracks = tracker.Update([right, left], At(f * 0.5));
            Assert.Equal(2, tracks.Count);
            var r = tracks.Single(t => MathF.Abs(t.Box.CenterX - right.Box.CenterX) < 1e-6f && t.Box.CenterY < 0.505f);
            var l = tracks.Single(t => t.TrackId != r.TrackId);
            if (f == 0) (rightId, leftId) = (r.TrackId, l.TrackId);
            Assert.Equal(rightId, r.TrackId);
            Assert.Equal(leftId, l.TrackId);
        }
        Assert.NotEqual(rightId, leftId);
    }

    [Fact]
    public void Update_ObjectMissingForAFewFrames_KeepsItsId()
    {
        var tracker = new ObjectTracker();
        long id = 0;
        for (var f = 0; f <= 20; f++)
        {
            var occluded = f is >= 8 and <= 11;
            var tracks = tracker.Update(occluded ? [] : [Person(0.2f + 0.01f * f, 0.6f)], At(f * 0.5));
            if (occluded)
            {
                Assert.Empty(tracks);
                continue;
            }
            var t = Single(tracks);
            if (f == 0) id = t.TrackId;
            Assert.Equal(id, t.TrackId);
        }
    }

    [Fact]
    public void Update_WalkerAtOneKeyFramePerSecond_KeepsIdByCentreDistance()
    {
        // 0.04 of the frame per second = 0.8 box widths: boxes of consecutive frames barely overlap, and only the
        // buffered IoU or the distance stage can follow. Faster: 1.2 widths, no overlap at all.
        foreach (var speed in new[] { 0.04f, 0.06f })
        {
            var tracker = new ObjectTracker();
            var ids = Enumerable.Range(0, 15).Select(f => Single(tracker.Update([Person(0.1f + speed * f, 0.6f)], At(f))).TrackId).Distinct();
            Assert.Single(ids);
        }
    }

    [Fact]
    public void Update_DistanceStageOff_FastWalkerGetsNewIds()
    {
        var tracker = new ObjectTracker(new TrackerOptions { MaxCenterDistance = 0 });
        var ids = Enumerable.Range(0, 5).Select(f => Single(tracker.Update([Person(0.1f + 0.08f * f, 0.6f)], At(f))).TrackId).Distinct();
        Assert.Equal(5, ids.Count());
    }

    [Fact]
    public void Update_NearbyDetectionOfDifferentSize_NotJoinedByDistance()
    {
        var tracker = new ObjectTracker();
        var id = Single(tracker.Update([Person(0.3f, 0.6f)], At(0))).TrackId;
        tracker.Update([Person(0.3f, 0.6f)], At(1));

        var child = new Det(0, "person", 0.9f, BoxF.FromCenter(0.42f, 0.62f, 0.025f, 0.07f));
        Assert.NotEqual(id, Single(tracker.Update([child], At(2))).TrackId);
    }

    [Fact]
    public void Update_NewObject_GetsNewId()
    {
        var tracker = new ObjectTracker();
        var first = Single(tracker.Update([Person(0.2f, 0.6f)], At(0)));
        tracker.Update([Person(0.2f, 0.6f)], At(1));
        var both = tracker.Update([Person(0.2f, 0.6f), Person(0.7f, 0.6f)], At(2));

        Assert.Equal(2, both.Count);
        var newcomer = both.Single(t => t.TrackId != first.TrackId);
        Assert.True(newcomer.TrackId > first.TrackId);
        Assert.False(newcomer.IsConfirmed);
        Assert.True(both.Single(t => t.TrackId == first.TrackId).IsConfirmed);
    }

    [Fact]
    public void Update_LowScoreDetectionAlone_CreatesNoTrack()
    {
        var tracker = new ObjectTracker();
        for (var f = 0; f < 5; f++) Assert.Empty(tracker.Update([Person(0.5f, 0.5f, conf: 0.3f)], At(f)));
        Assert.Equal(0, tracker.TrackCount);
    }

    [Fact]
    public void Update_LowScoreDetection_ExtendsExistingTrack()
    {
        var tracker = new ObjectTracker();
        var id = Single(tracker.Update([Person(0.5f, 0.5f)], At(0))).TrackId;
        tracker.Update([Person(0.5f, 0.5f)], At(1));

        var t = Single(tracker.Update([Person(0.505f, 0.5f, conf: 0.2f)], At(2)));

        Assert.Equal(id, t.TrackId);
        Assert.Equal(0.2f, t.Confidence);
        Assert.Equal(3, t.Hits);
    }

    [Fact]
    public void Update_LowScoreDetection_DoesNotExtendLostTrack()
    {
        var tracker = new ObjectTracker();
        tracker.Update([Person(0.5f, 0.5f)], At(0));
        tracker.Update([Person(0.5f, 0.5f)], At(1));
        tracker.Update([], At(2));

        Assert.Empty(tracker.Update([Person(0.5f, 0.5f, conf: 0.2f)], At(3)));
    }

    [Fact]
    public void Update_OtherClassAtSamePlace_DoesNotTakeOverTrack()
    {
        var tracker = new ObjectTracker();
        var person = Single(tracker.Update([Person(0.5f, 0.5f)], At(0)));
        tracker.Update([Person(0.5f, 0.5f)], At(1));

        var bag = new Det(1, "litter", 0.9f, BoxF.FromCenter(0.5f, 0.5f, 0.05f, 0.15f));
        var t = Single(tracker.Update([bag], At(2)));

        Assert.NotEqual(person.TrackId, t.TrackId);
        Assert.Equal("litter", t.Label);
    }

    [Fact]
    public void Update_TentativeTrackMissed_IsRemoved()
    {
        var tracker = new ObjectTracker();
        var blip = Single(tracker.Update([Person(0.5f, 0.5f)], At(0)));
        tracker.Update([], At(1));

        var t = Single(tracker.Update([Person(0.5f, 0.5f)], At(2)));

        Assert.NotEqual(blip.TrackId, t.TrackId);
    }

    [Fact]
    public void Update_LostLongerThanMaxLostFrames_RemovesTrack()
    {
        var tracker = new ObjectTracker(new TrackerOptions { MaxLostFrames = 3 });
        var id = Single(tracker.Update([Person(0.5f, 0.5f)], At(0))).TrackId;
        tracker.Update([Person(0.5f, 0.5f)], At(0.5));
        for (var f = 2; f <= 5; f++) tracker.Update([], At(f * 0.5));   // 4 misses > 3

        Assert.Equal(0, tracker.TrackCount);
        Assert.NotEqual(id, Single(tracker.Update([Person(0.5f, 0.5f)], At(3))).TrackId);
    }

    [Fact]
    public void Update_LostLongerThanMaxLostTime_RemovesTrack()
    {
        var tracker = new ObjectTracker(new TrackerOptions { MaxLostTime = TimeSpan.FromSeconds(5) });
        tracker.Update([Person(0.5f, 0.5f)], At(0));
        tracker.Update([Person(0.5f, 0.5f)], At(1));
        tracker.Update([], At(5.9));
        Assert.Equal(1, tracker.TrackCount);

        tracker.Update([], At(6.1));

        Assert.Equal(0, tracker.TrackCount);
    }

    [Fact]
    public void Update_MinHitsOne_ConfirmsAtBirth()
    {
        var tracker = new ObjectTracker(new TrackerOptions { MinHits = 1 });
        Assert.True(Single(tracker.Update([Person(0.5f, 0.5f)], At(0))).IsConfirmed);
    }

    [Fact]
    public void Update_Motion_StationaryNearZeroAndWalkerLarge()
    {
        var tracker = new ObjectTracker();
        IReadOnlyList<TrackedObject> tracks = [];
        for (var f = 0; f <= 12; f++)
        {
            var litter = new Det(1, "litter", 0.8f, BoxF.FromCenter(0.3f + (f % 2) * 0.001f, 0.8f, 0.03f, 0.02f));
            tracks = tracker.Update([litter, Person(0.5f + 0.01f * f, 0.6f)], At(f * 0.5));
        }
        var still = tracks.Single(t => t.Label == "litter");
        var walker = tracks.Single(t => t.Label == "person");

        Assert.True(still.RelativeDisplacement < 0.1f, $"litter moved {still.RelativeDisplacement} boxes");
        // 5 s window at 2 fps: 10 frames × 0.01 = 0.10 of the frame width = 2 box widths.
        Assert.InRange(walker.RelativeDisplacement, 1.9f, 2.1f);
        Assert.InRange(walker.Displacement, 0.099f, 0.101f);
        Assert.InRange(walker.VelocityX, 0.019f, 0.021f);
        Assert.Equal(At(0), still.FirstSeen);
        Assert.Equal(At(6), still.LastSeen);
        Assert.Equal(13, still.Hits);
    }

    [Fact]
    public void Update_EarlierTimestamp_TreatedAsSameTime()
    {
        var tracker = new ObjectTracker();
        tracker.Update([Person(0.5f, 0.5f)], At(10));
        var t = Single(tracker.Update([Person(0.5f, 0.5f)], At(5)));
        Assert.Equal(At(10), t.LastSeen);
    }

    [Fact]
    public void Update_FiftyTracksSteadyState_DoesNotAllocate()
    {
        var tracker = new ObjectTracker();
        var detections = new Det[50];
        void Fill(int f)
        {
            for (var i = 0; i < detections.Length; i++)
                detections[i] = Person(0.05f + 0.09f * (i % 10) + 0.001f * f, 0.1f + 0.18f * (i / 10), 0.6f + 0.005f * i);
        }
        for (var f = 0; f < 5; f++) { Fill(f); tracker.Update(detections, At(f)); }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var f = 5; f < 105; f++) { Fill(f); tracker.Update(detections, At(f)); }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50, tracker.TrackCount);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Options_Invalid_ReportsEveryError()
    {
        var errors = new TrackerOptions { HighThreshold = 1.5f, MinHits = 0, MotionWindow = TimeSpan.Zero }.Validate();

        Assert.Contains(errors, e => e.StartsWith("tracker.highThreshold:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("tracker.minHits:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("tracker.motionWindow:", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new ObjectTracker(new TrackerOptions { MinHits = 0 }));
    }
}
