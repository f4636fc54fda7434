using System.Runtime.InteropServices;
using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Quality;
using Xunit.Abstractions;
using static EdgeAi.Worker.Tests.Evidence.EvidenceKit;

namespace EdgeAi.Worker.Tests.Evidence;

[CollectionDefinition(nameof(ImageMemoryCollection), DisableParallelization = true)]
public sealed class ImageMemoryCollection;

/// <summary>
/// OpenCV's Mats live in native memory that the GC does not see: thousands of frames through the quality diagnosis and
/// hundreds of evidence renders must leave native (glibc heap, all arenas plus mmapped blocks) and managed memory where
/// they were. Runs alone, so other tests' allocations do not blur the figures.
/// </summary>
[Collection(nameof(ImageMemoryCollection))]
public sealed class ImageMemoryTests(ITestOutputHelper output)
{
    private const long MiB = 1 << 20;

    [Fact]
    public void ManyFrames_QualityAndEvidence_NativeAndManagedMemoryStayFlat()
    {
        var geometry = LetterboxGeometry.For(1920, 1080, 640, 640);
        byte[][] frames = [Noise(640, 640 * 3, 1)[..(3 * 640 * 640)], Noise(640, 640 * 3, 2)[..(3 * 640 * 640)]];
        var rgb = Noise(640, 360);
        var objects = new[] { Obj(1, "person", new BoxF(0.2f, 0.2f, 0.3f, 0.7f)), Obj(2, "litter", new BoxF(0.5f, 0.6f, 0.55f, 0.66f)) };
        var episode = Episode(objects, blur: true);
        using var grey = new GrayFrame();
        using var analyzer = new QualityAnalyzer(new QualityOptions());
        using var renderer = new EvidenceRenderer();
        var frame = 0;
        void Run(int n)
        {
            for (var i = 0; i < n; i++, frame++)
            {
                analyzer.Analyze(grey.From(frames[frame % 2], geometry, 160), T0.AddSeconds(frame));
                if (frame % 10 == 0) renderer.Render(rgb, 640, 360, episode, objects);
            }
        }

        Run(300);   // warm up: Mats sized, pools and arenas grown
        var (native0, managed0) = Measure();
        var allocated0 = GC.GetAllocatedBytesForCurrentThread();
        Run(3000);
        var allocatedPerFrame = (GC.GetAllocatedBytesForCurrentThread() - allocated0) / 3000.0;
        var (native1, managed1) = Measure();
        output.WriteLine($"native {native0} -> {native1} bytes, managed {managed0} -> {managed1} bytes, {allocatedPerFrame:F0} managed bytes allocated per frame");

        Assert.True(native1 - native0 < 8 * MiB, $"native heap grew {(native1 - native0) / (double)MiB:F1} MiB over 3000 frames and 300 renders ({native0} → {native1} bytes)");
        Assert.True(managed1 - managed0 < 4 * MiB, $"managed heap grew {(managed1 - managed0) / (double)MiB:F1} MiB");
        // The JPEGs themselves (two per render, every tenth frame) are most of it; the per-frame quality path allocates little.
        Assert.True(allocatedPerFrame < 64 * 1024, $"{allocatedPerFrame:F0} managed bytes allocated per frame");
    }

    private static (long Native, long Managed) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();   // OpenCvSharp's temporary array wrappers free their native part here
        }
        var info = MallInfo2();
        return ((long)(info.Uordblks + info.Hblkhd), GC.GetTotalMemory(forceFullCollection: true));
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo
    {
        public readonly nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo MallInfo2();
}
