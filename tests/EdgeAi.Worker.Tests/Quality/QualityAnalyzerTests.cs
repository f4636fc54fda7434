using EdgeAi.Models.Devices;
using EdgeAi.Worker.Quality;
using OpenCvSharp;
using static EdgeAi.Worker.Tests.Quality.SyntheticImages;

namespace EdgeAi.Worker.Tests.Quality;

/// <summary>Each quality check on synthetic pictures, one analysed frame per second as key-frame decode gives.</summary>
public sealed class QualityAnalyzerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int second) => T0.AddSeconds(second);

    /// <summary>Runs frames 0..n-1 at one per second and returns every report.</summary>
    private static List<QualityReport> Feed(QualityAnalyzer analyzer, int n, Func<int, Mat> frame) =>
        Enumerable.Range(0, n).Select(i => analyzer.Analyze(frame(i), At(i))).ToList();

    [Fact]
    public void Analyze_LiveTexturedScene_NoFlags()
    {
        var scene = Scene(1);
        var reports = Feed(new QualityAnalyzer(new QualityOptions()), 120, i => Noisy(scene, i));

        Assert.All(reports, r => Assert.Empty(r.Flags));
        var last = reports[^1].Measurements;
        Assert.True(last.Sharpness > 150, $"sharpness {last.Sharpness}");
        Assert.True(last.SceneSimilarity > 0.9, $"similarity {last.SceneSimilarity}");
        Assert.Equal(0, last.OccludedFraction);
    }

    [Fact]
    public void Analyze_BlackPicture_BlackOnly()
    {
        var reports = Feed(new QualityAnalyzer(new QualityOptions { FrozenAfter = TimeSpan.FromSeconds(5) }), 20, i => Noisy(Flat(6), i, 2));

        Assert.All(reports, r => Assert.Equal([QualityFlagNames.Black], r.Flags));   // not also blurred, frozen or occluded
        Assert.True(reports[^1].Measurements.Brightness < 10);
    }

    [Fact]
    public void Analyze_DarkButTexturedNightScene_NotBlack()
    {
        var night = Map(Scene(2), p => p / 4);   // mean about 30, still has structure

        var report = new QualityAnalyzer(new QualityOptions()).Analyze(night, T0);

        Assert.DoesNotContain(QualityFlagNames.Black, report.Flags);
    }

    [Fact]
    public void Analyze_WhitePicture_Overexposed()
    {
        var report = new QualityAnalyzer(new QualityOptions()).Analyze(Map(Scene(3), p => 245 + p % 10), T0);

        Assert.Equal([QualityFlagNames.Overexposed], report.Flags);
    }

    [Fact]
    public void Analyze_BlurredPicture_BlurredWhileSharpOneIsNot()
    {
        var sharp = Scene(4);
        var options = new QualityOptions();

        var sharpReport = new QualityAnalyzer(options).Analyze(sharp, T0);
        var blurredReport = new QualityAnalyzer(options).Analyze(Blur(sharp, 2), T0);

        Assert.DoesNotContain(QualityFlagNames.Blurred, sharpReport.Flags);
        Assert.Contains(QualityFlagNames.Blurred, blurredReport.Flags);
        Assert.True(blurredReport.Measurements.Sharpness < sharpReport.Measurements.Sharpness / 5);
    }

    [Fact]
    public void Analyze_SamePictureRepeated_FrozenOnlyAfterConfiguredTime()
    {
        var analyzer = new QualityAnalyzer(new QualityOptions { FrozenAfter = TimeSpan.FromSeconds(10) });
        var still = Scene(5);

        var reports = Feed(analyzer, 15, _ => still);

        Assert.All(reports.Take(10), r => Assert.DoesNotContain(QualityFlagNames.Frozen, r.Flags));
        Assert.All(reports.Skip(10), r => Assert.Contains(QualityFlagNames.Frozen, r.Flags));
        Assert.Equal(14, reports[^1].Measurements.FrozenS);

        var moving = analyzer.Analyze(Noisy(still, 99, 6), At(15));   // the picture changes again
        Assert.DoesNotContain(QualityFlagNames.Frozen, moving.Flags);
        Assert.Equal(0, moving.Measurements.FrozenS);
    }

    [Fact]
    public void Analyze_LargePartCovered_Occluded_SmallPartNot()
    {
        var scene = Scene(6);
        var analyzer = new QualityAnalyzer(new QualityOptions());
        Feed(analyzer, 5, i => Noisy(scene, i));

        var small = analyzer.Analyze(Noisy(Covered(scene, 0.2), 10), At(10));
        var large = analyzer.Analyze(Noisy(Covered(scene, 0.7), 11), At(11));

        Assert.DoesNotContain(QualityFlagNames.Occluded, small.Flags);
        Assert.Contains(QualityFlagNames.Occluded, large.Flags);
        Assert.True(large.Measurements.OccludedFraction >= 0.6, $"occluded {large.Measurements.OccludedFraction}");
    }

    [Fact]
    public void Analyze_LongOcclusion_NeverLearnedAsNewView()
    {
        var scene = Scene(7);
        var analyzer = new QualityAnalyzer(new QualityOptions());
        Feed(analyzer, 5, i => Noisy(scene, i));

        var covered = Enumerable.Range(5, 30).Select(i => analyzer.Analyze(Noisy(Covered(scene, 0.8), i), At(i))).ToList();
        var uncovered = analyzer.Analyze(Noisy(scene, 40), At(40));

        Assert.All(covered, r => Assert.Equal([QualityFlagNames.Occluded], r.Flags));
        Assert.Empty(uncovered.Flags);
    }

    [Fact]
    public void Analyze_ViewReplacedForSeveralFrames_SceneChangedAfterConfiguredFramesAndHeld()
    {
        var options = new QualityOptions { SceneChangeFrames = 3, SceneChangeHold = TimeSpan.FromSeconds(20) };
        var analyzer = new QualityAnalyzer(options);
        Feed(analyzer, 5, i => Noisy(Scene(8), i));
        var moved = Scene(9);

        var after = Enumerable.Range(5, 30).Select(i => analyzer.Analyze(Noisy(moved, i), At(i))).ToList();

        Assert.DoesNotContain(QualityFlagNames.SceneChanged, after[0].Flags);
        Assert.DoesNotContain(QualityFlagNames.SceneChanged, after[1].Flags);
        Assert.Contains(QualityFlagNames.SceneChanged, after[2].Flags);                // third differing frame, t = 7 s
        Assert.Contains(QualityFlagNames.SceneChanged, after[21].Flags);               // t = 26 s, within the hold
        Assert.DoesNotContain(QualityFlagNames.SceneChanged, after[23].Flags);         // t = 28 s, hold over; the new view is the reference
        Assert.True(after[^1].Measurements.SceneSimilarity > 0.9);
    }

    [Fact]
    public void Analyze_OneOrTwoDifferentFramesOrLightingChange_NoSceneChange()
    {
        var scene = Scene(10);
        var analyzer = new QualityAnalyzer(new QualityOptions());
        Feed(analyzer, 5, i => Noisy(scene, i));

        var passing = new[] { analyzer.Analyze(Scene(11), At(5)), analyzer.Analyze(Scene(12), At(6)) };   // a bus fills the view twice
        var dusk = Enumerable.Range(7, 10).Select(i => analyzer.Analyze(Noisy(Map(scene, p => p * 6 / 10 + 10), i), At(i))).ToList();

        Assert.All(passing.Concat(dusk), r => Assert.DoesNotContain(QualityFlagNames.SceneChanged, r.Flags));
        Assert.All(dusk, r => Assert.True(r.Measurements.SceneSimilarity > 0.9, $"similarity {r.Measurements.SceneSimilarity}"));
    }

    [Fact]
    public void Analyze_PictureSizeChanges_HistoryReset()
    {
        var analyzer = new QualityAnalyzer(new QualityOptions { FrozenAfter = TimeSpan.FromSeconds(2) });
        Feed(analyzer, 5, _ => Scene(13));

        var resized = analyzer.Analyze(ToMat(80, 45, new byte[80 * 45].Select((_, i) => (byte)(i * 7 % 251)).ToArray()), At(5));

        Assert.Null(resized.Measurements.Change);
        Assert.DoesNotContain(QualityFlagNames.Frozen, resized.Flags);
    }

    [Fact]
    public void Analyze_SinglePoint_SharpnessIsTheVarianceOfTheFourNeighbourLaplacianOverInteriorPixels()
    {
        // 5×5 black with one pixel at 100 in the middle: over the 3×3 interior the Laplacian 4p − (left + right + up + down)
        // is 400 at the point, −100 at its four neighbours and 0 at the corners, mean 0, variance (400² + 4·100²) / 9.
        // The same scale as the hand-written measure before OpenCV, so blur_sharpness_min keeps its meaning.
        var p = new byte[25];
        p[12] = 100;
        using var analyzer = new QualityAnalyzer(new QualityOptions());

        var report = analyzer.Analyze(ToMat(5, 5, p), T0);

        Assert.Equal(Math.Round(200000 / 9.0, 3), report.Measurements.Sharpness);
        Assert.Equal(4, report.Measurements.Brightness);                                    // 100 / 25
        Assert.Equal(Math.Round(Math.Sqrt(100.0 * 100 / 25 - 16), 3), report.Measurements.Contrast);
    }

    [Fact]
    public void Analyze_ChangeIsMeanAbsoluteGreyDifference()
    {
        using var analyzer = new QualityAnalyzer(new QualityOptions());
        var scene = Scene(14);
        analyzer.Analyze(scene, T0);

        var report = analyzer.Analyze(Map(scene, p => p < 128 ? p + 2 : p - 1), At(1));

        var pixels = Pixels(scene);
        var expected = pixels.Average(p => p < 128 ? Math.Min(2, 255 - p) : Math.Min(1, (int)p));
        Assert.Equal(Math.Round(expected, 3), report.Measurements.Change);
    }

    [Fact]
    public void Analyze_WrongPictureType_ClearError()
    {
        using var analyzer = new QualityAnalyzer(new QualityOptions());
        using var colour = new Mat(90, 160, MatType.CV_8UC3, Scalar.All(100));

        var ex = Assert.Throws<ArgumentException>(() => analyzer.Analyze(colour, T0));
        Assert.Contains("one-channel", ex.Message);
    }
}
