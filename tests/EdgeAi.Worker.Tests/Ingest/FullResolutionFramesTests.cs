using EdgeAi.Testing;
using EdgeAi.Worker.Ingest;

namespace EdgeAi.Worker.Tests.Ingest;

/// <summary>The per-camera ring of full-resolution JPEGs: numbering per decoder run, bounded, cleaned up.</summary>
public sealed class FullResolutionFramesTests : IDisposable
{
    private readonly string _root = TestPaths.NewTempDir("fullres-ring");

    public void Dispose() => Directory.Delete(_root, true);

    private static void Write(string path) => File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF]);

    [Fact]
    public void Arrived_KeepsTheLastSixteenOfTheRun()
    {
        using var ring = new FullResolutionFrames(_root, "cam/1 x");
        var pattern = ring.BeginRun();
        Assert.EndsWith("r1-%08d.jpg", pattern);
        Assert.DoesNotContain("/1 x", pattern);   // the camera id is made a safe folder name
        for (var i = 1; i <= 40; i++)
        {
            Write(ring.PathOf(i));
            ring.Arrived(i);
        }
        var kept = Directory.GetFiles(ring.DirectoryPath).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(FullResolutionFrames.Keep, kept.Count);
        Assert.Equal("r1-00000025.jpg", kept[0]);
        Assert.Equal("r1-00000040.jpg", kept[^1]);
    }

    [Fact]
    public void BeginRun_KeepsThePreviousRunForFramesInFlight_RemovesOlderOnes_DisposeRemovesAll()
    {
        var ring = new FullResolutionFrames(_root, "cam");
        ring.BeginRun();
        Write(ring.PathOf(1));
        ring.BeginRun();
        Write(ring.PathOf(1));
        Assert.Equal(2, Directory.GetFiles(ring.DirectoryPath).Length);   // run 1's frame may still be in the pipeline
        ring.BeginRun();
        Assert.Equal(["r2-00000001.jpg"], Directory.GetFiles(ring.DirectoryPath).Select(Path.GetFileName));
        ring.Dispose();
        Assert.False(Directory.Exists(ring.DirectoryPath));
    }
}
