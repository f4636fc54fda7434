using EdgeAi.Models.Events;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using OpenCvSharp;
using static EdgeAi.Worker.Tests.Evidence.EvidenceKit;

namespace EdgeAi.Worker.Tests.Evidence;

public sealed class EvidenceRecorderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeai-evidence-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Capture_StoresSnapshotAndCrop_NamedByEpisodeAndType()
    {
        var store = new EvidenceStore(new EvidenceStoreOptions { Directory = _dir });
        using var recorder = new EvidenceRecorder(store);
        var episode = Episode([Obj(1, "litter", new BoxF(0.4f, 0.6f, 0.45f, 0.65f))], blur: false, type: EventType.Ended);

        var blobs = recorder.Capture(Noise(320, 180), 320, 180, episode);
        var refs = blobs.Select(b => b.Ref).ToList();

        Assert.Equal(["snapshot", "crop"], refs.Select(r => r.Kind));
        Assert.Equal($"{episode.EpisodeId:N}.ended.snapshot", refs[0].Id);
        Assert.Equal($"{episode.EpisodeId:N}.ended.crop", refs[1].Id);
        Assert.All(refs, r => Assert.True(EdgeEventValidator.IsValidId(r.Id)));
        Assert.True(store.TryRead(refs[0].Id, out var snapshot));
        Assert.Equal(refs[0].Bytes, snapshot.Length);
        Assert.Equal(snapshot, blobs[0].Data.ToArray());   // the returned bytes are what was stored
        using var image = Cv2.ImDecode(snapshot, ImreadModes.Color);
        Assert.Equal((320, 180), (image.Width, image.Height));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
