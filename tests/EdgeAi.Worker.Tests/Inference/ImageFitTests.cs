using System.Text.Json.Nodes;
using EdgeAi.Testing;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;

namespace EdgeAi.Worker.Tests.Inference;

/// <summary>The manifest's letterbox mode and pad value: read, validated, and used by the real ffmpeg fit and the box mapping.</summary>
public sealed class ImageFitTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("fit");

    /// <summary>The tiny detector's manifest with <paramref name="inputField"/> / <paramref name="outputField"/> (JSON "key": value) set or removed ("-key").</summary>
    private string Manifest(string inputField, string outputField = "")
    {
        File.Copy(TestPaths.InRepo("tests", "data", "tiny_detector.onnx"), Path.Combine(_dir, "tiny_detector.onnx"), true);
        var json = JsonNode.Parse(File.ReadAllText(TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json")))!;
        Set(json["input"]!.AsObject(), inputField);
        Set(json["output"]!.AsObject(), outputField);
        var path = Path.Combine(_dir, "m.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;

        static void Set(JsonObject o, string field)
        {
            if (field.Length == 0) return;
            if (field.StartsWith('-')) { o.Remove(field[1..]); return; }
            foreach (var (k, v) in JsonNode.Parse("{" + field.TrimEnd(',') + "}")!.AsObject().ToList()) o[k] = v?.DeepClone();
        }
    }

    [Theory]
    [InlineData("\"letterbox\": true,", LetterboxMode.Center)]
    [InlineData("\"letterbox\": false,", LetterboxMode.Stretch)]
    [InlineData("\"letterbox\": \"top-left\",", LetterboxMode.TopLeft)]
    [InlineData("\"letterbox\": \"centre\",", LetterboxMode.Center)]
    [InlineData("-letterbox", LetterboxMode.Center)]
    public void Load_LetterboxSpellings_ReadAsTheMode(string field, LetterboxMode mode) =>
        Assert.Equal(mode, ModelManifestLoader.Load(Manifest(field)).Input.Fit.Mode);

    [Theory]
    [InlineData("\"letterbox\": \"diagonal\",", "", "input.letterbox: 'diagonal' is not one of center, top-left, stretch")]
    [InlineData("\"pad_value\": 999,", "", "input.pad_value: 999 must be a pixel value 0..255")]
    [InlineData("\"scale\": 0,", "", "input.scale: 0 must be in (0, 1]")]
    [InlineData("", "\"strides\": [8, 16],", "output.strides: only used by the yolox layout")]
    public void Load_UnsupportedValue_RefusedWithKeyAndReason(string inputField, string outputField, string message)
    {
        var ex = Assert.Throws<ModelManifestException>(() => ModelManifestLoader.Load(Manifest(inputField, outputField)));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Geometry_TopLeftAndStretch_MapBoxesBackToTheSource()
    {
        var topLeft = LetterboxGeometry.For(768, 576, 416, 416, LetterboxMode.TopLeft);
        Assert.Equal(new LetterboxGeometry(416, 416, 416, 312, 0, 0), topLeft);
        var b = topLeft.ToSource(104, 78, 208, 156);
        Assert.Equal((0.25f, 0.25f, 0.5f, 0.5f), (b.X1, b.Y1, b.X2, b.Y2));

        var centred = LetterboxGeometry.For(768, 576, 416, 416);
        Assert.Equal(52, centred.PadY);

        var stretch = LetterboxGeometry.For(768, 576, 416, 416, LetterboxMode.Stretch);
        var s = stretch.ToSource(104, 104, 208, 208);
        Assert.Equal((0.25f, 0.25f, 0.5f, 0.5f), (s.X1, s.Y1, s.X2, s.Y2));
    }

    /// <summary>A 80x40 white picture fitted into 64x64 by the real ffmpeg: where the content and the padding land.</summary>
    [Theory]
    [InlineData(LetterboxMode.TopLeft, 0, 32)]     // content rows 0..31, padding below
    [InlineData(LetterboxMode.Center, 16, 48)]     // 16 rows of padding above and below
    [InlineData(LetterboxMode.Stretch, 0, 64)]     // no padding
    public async Task FrameReader_FitMode_PadsWhereTheModelExpects(LetterboxMode mode, int contentTop, int contentBottom)
    {
        var png = Path.Combine(_dir, "white.png");
        RealWorldRun("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=white:s=80x40", "-frames:v", "1", png]);
        var frames = new List<FittedFrame>();
        await foreach (var f in FfmpegFrameReader.ReadAsync(png, 64, 64, new ImageFit(mode, 7), null, 5, TimeSpan.FromSeconds(60), default)) frames.Add(f);

        var frame = Assert.Single(frames);
        Assert.Equal(LetterboxGeometry.For(80, 40, 64, 64, mode), frame.Geometry);
        Assert.Equal((80, 40), (frame.SourceWidth, frame.SourceHeight));
        for (var y = 0; y < 64; y++)
        {
            var expected = y >= contentTop && y < contentBottom ? 255 : 7;
            for (var plane = 0; plane < 3; plane++)
                Assert.True(frame.Planar[plane * 64 * 64 + y * 64 + 32] == expected, $"{mode}: row {y} plane {plane} is {frame.Planar[plane * 64 * 64 + y * 64 + 32]}, expected {expected}");
        }
    }

    private static void RealWorldRun(string tool, string[] args) => RealWorld.RealWorldAssets.Run(tool, args);

    public void Dispose() => Directory.Delete(_dir, true);
}
