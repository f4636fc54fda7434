using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Tests.Evidence;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeAi.Worker.Tests.RealWorld;

/// <summary>
/// Full-resolution evidence on real footage: the first 10 s of vtest.avi (768x576 CCTV, re-encoded to H.264 with a key frame
/// per second into the test's folder), YOLOX-Nano (416x416 input, so the model sees the scene at 416x312), a crowding rule
/// on persons that fires at once, the worker's pipeline over the clip (a clip frame source). The snapshot must be the analysed frame at 768x576:
/// the same pixels (up to the drawing, the person blur and JPEG) as that key frame decoded independently by ffmpeg.
/// </summary>
public sealed class FullResolutionRealFootageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_Vtest_SnapshotAt768x576IsTheAnalysedFrameOfTheRealScene()
    {
        var dir = TestPaths.NewTempDir("fullres-real");
        var clip = Path.Combine(dir, "vtest.mp4");
        RealWorldAssets.Run("ffmpeg", ["-v", "error", "-y", "-i", RealWorldAssets.Vtest, "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10",
            "-keyint_min", "10", "-sc_threshold", "0", "-pix_fmt", "yuv420p", clip]);
        var frames = Directory.CreateDirectory(Path.Combine(dir, "frames")).FullName;
        RealWorldAssets.Run("ffmpeg", ["-v", "error", "-y", "-skip_frame", "nokey", "-i", clip, "-fps_mode", "passthrough", Path.Combine(frames, "k%03d.png")]);
        var keyFrames = Directory.GetFiles(frames, "k*.png").Order(StringComparer.Ordinal).ToList();   // k001 = 0 s, k002 = 1 s, …

        var start = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        // Privacy blur off for this rule, so the crop can be compared pixel for pixel with the independently decoded frame.
        var camera = EvidencePipeline.Camera("vtest", clip, "person", blur: false) with { Decode = new global::EdgeAi.Worker.Configuration.DecodeOptions { StallTimeout = TimeSpan.FromMinutes(5), SocketTimeout = TimeSpan.FromSeconds(30) } };
        await using (var p = new EvidencePipeline(RealWorldAssets.WriteYoloxManifest(dir), [camera], sources: new ClipFrameSourceFactory(new Dictionary<string, DateTimeOffset> { ["vtest"] = start })))
        {
            await p.Run.WaitAsync(TimeSpan.FromMinutes(5));   // a clip source: the pipeline ends with the clip
            var (evt, blobs) = p.Sink.Events.First(e => e.Event.Type == EventType.Started);
            var snapshot = blobs.Single(b => b.Ref.Kind == EvidenceKinds.Snapshot);
            Assert.Equal((768, 576), (snapshot.Ref.Width, snapshot.Ref.Height));
            Assert.False(snapshot.Ref.Blurred);
            using var picture = Cv2.ImDecode(snapshot.Data.ToArray(), ImreadModes.Color);
            Assert.Equal((768, 576), (picture.Width, picture.Height));
            var crop = blobs.Single(b => b.Ref.Kind == EvidenceKinds.Crop);
            using var cropPicture = Cv2.ImDecode(crop.Data.ToArray(), ImreadModes.Color);
            Assert.Equal((crop.Ref.Width, crop.Ref.Height), (cropPicture.Width, cropPicture.Height));

            var second = (int)Math.Round((evt.Frame.Time - start).TotalSeconds);
            using var reference = Cv2.ImRead(keyFrames[second], ImreadModes.Color);
            using var other = Cv2.ImRead(keyFrames[(second + 5) % keyFrames.Count], ImreadModes.Color);
            // The snapshot carries the drawing (zone outline, boxes, labels), so against the whole picture it is only nearer
            // its own key frame than another second's; the crop is unannotated: the analysed frame's own source pixels.
            var own = FullResolutionEvidenceTests.Difference(picture, reference);
            var elsewhere = FullResolutionEvidenceTests.Difference(picture, other);
            using var renderer = new Worker.Evidence.EvidenceRenderer();
            var objects = evt.Objects.Select((o, i) => EvidenceKit.Obj(i, o.Class,
                new Detection.BoxF((float)o.Box[0], (float)o.Box[1], (float)o.Box[2], (float)o.Box[3]), (float)o.Confidence)).ToList();
            var (cx, cy, cw, ch) = renderer.CropRect(objects, 768, 576);
            var region = new Rect(cx, cy, Math.Min(cw, cropPicture.Width), Math.Min(ch, cropPicture.Height));
            double CropDifference(Mat frame)
            {
                using var cut = new Mat(frame, region);
                using var mine = new Mat(cropPicture, new Rect(0, 0, region.Width, region.Height));
                using var diff = new Mat();
                Cv2.Absdiff(cut, mine, diff);
                var m = Cv2.Mean(diff);
                return (m.Val0 + m.Val1 + m.Val2) / 3;
            }
            using var next = Cv2.ImRead(keyFrames[second + 1], ImreadModes.Color);
            var cropOwn = CropDifference(reference);
            var cropNext = Math.Min(CropDifference(next), CropDifference(other));
            double min, max;
            using (var channels = picture.Reshape(1)) channels.MinMaxLoc(out min, out max);
            output.WriteLine($"event at {second} s, {evt.Objects.Count} persons; snapshot {snapshot.Ref.Bytes} bytes {picture.Width}x{picture.Height} vs its key frame {own:0.00}, "
                + $"vs 5 s later {elsewhere:0.00}; crop {crop.Ref.Bytes} bytes {cropPicture.Width}x{cropPicture.Height} at ({cx},{cy}) vs its key frame {cropOwn:0.00}, "
                + $"vs 1 s / 5 s later {cropNext:0.00}; range {min}-{max}");
            Assert.True(max - min > 150, "no real picture in the snapshot");
            Assert.True(own < elsewhere, $"snapshot is not the analysed key frame: {own:0.00} vs {elsewhere:0.00} 5 s later");
            Assert.True(cropOwn < 4 && cropOwn * 2 < cropNext, $"crop is not the analysed key frame at 768x576: {cropOwn:0.00} vs {cropNext:0.00}");
        }
        Directory.Delete(dir, true);
    }
}
