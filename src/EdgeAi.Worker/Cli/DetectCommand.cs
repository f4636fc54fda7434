using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using Microsoft.ML.OnnxRuntime;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai detect --model MANIFEST IMAGE|VIDEO|URL [--json] [--annotate OUT.jpg]</c>: what a model finds on a picture,
/// a clip or a camera, frame by frame (class, confidence, box in source pixels), decoded and fitted exactly as the
/// pipeline does — the engineer's way to see that a model works on a camera before turning rules on.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A picture (JPEG, PNG), a video file or a stream URL (rtsp://…)" };
        var model = new Option<string>("--model") { Description = "Model manifest (e.g. models/demo/edgeai-demo.manifest.json)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of text" };
        var annotate = new Option<string?>("--annotate") { Description = "Write the frame with the most detections, boxes drawn, as a JPEG here" };
        var frames = new Option<int?>("--frames") { Description = "Most frames to analyse (default: all of a file, 1 of a stream URL)" };
        var fps = new Option<double?>("--fps") { Description = "Sample the input at this rate (default: every frame)" };
        var confidence = new Option<float?>("--confidence") { Description = "Override the manifest's confidence threshold" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads", DefaultValueFactory = _ => 1 };
        var cmd = new Command("detect", "Run a model on a picture, clip or camera and print what it detects per frame.")
            { input, model, json, annotate, frames, fps, confidence, threads };
        cmd.SetAction((parse, ct) => RunAsync(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(json), parse.GetValue(annotate),
            parse.GetValue(frames), parse.GetValue(fps), parse.GetValue(confidence), parse.GetValue(threads), ct));
        return cmd;
    }

    /// <summary>One analysed frame.</summary>
    internal sealed record FrameResult(int Index, double Milliseconds, IReadOnlyList<Detection.Detection> Detections);

    /// <summary>Everything one run found, plus the frame to annotate (the one with the most detections).</summary>
    internal sealed record DetectRun(int SourceWidth, int SourceHeight, List<FrameResult> Frames, FittedFrame? Busiest, IReadOnlyList<Detection.Detection> BusiestDetections);

    /// <summary>Decodes <paramref name="input"/> with ffmpeg and runs every frame through <paramref name="detector"/>.</summary>
    internal static async Task<DetectRun> DetectAsync(OnnxDetector detector, string input, int maxFrames, double? fps, CancellationToken ct)
    {
        var m = detector.Manifest;
        var list = new List<FrameResult>();
        FittedFrame? busiest = null;
        IReadOnlyList<Detection.Detection> busiestDets = [];
        int sw = 0, sh = 0;
        // One blank run first: ONNX Runtime's first Run allocates and plans (~10x a steady frame), which is not the
        // per-frame cost the engineer wants to see.
        detector.Detect([new byte[m.Input.Width * m.Input.Height * 3]], [LetterboxGeometry.Identity(m.Input.Width, m.Input.Height)], [[]]);
        await foreach (var f in FfmpegFrameReader.ReadAsync(input, m.Input.Width, m.Input.Height, m.Input.Fit, fps, maxFrames, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false))
        {
            (sw, sh) = (f.SourceWidth, f.SourceHeight);
            var results = new List<Detection.Detection>[] { [] };
            var clock = Stopwatch.StartNew();
            detector.Detect([f.Planar], [f.Geometry], results);
            list.Add(new FrameResult(f.Index, clock.Elapsed.TotalMilliseconds, results[0]));
            if (busiest is null || results[0].Count > busiestDets.Count) (busiest, busiestDets) = (f, results[0]);
        }
        return new DetectRun(sw, sh, list, busiest, busiestDets);
    }

    private static async Task<int> RunAsync(string manifestPath, string input, bool json, string? annotate, int? frames, double? fps, float? confidence, int threads, CancellationToken ct)
    {
        try
        {
            var manifest = ModelManifestLoader.Load(manifestPath);
            using var detector = new OnnxDetector(manifest, new InferenceOptions { Threads = threads, BatchSize = 1, Confidence = confidence }, NullLogger.Instance);
            var max = frames ?? (input.Contains("://", StringComparison.Ordinal) ? 1 : int.MaxValue);
            var run = await DetectAsync(detector, input, max, fps, ct).ConfigureAwait(false);
            if (annotate is not null && run.Busiest is { } b) await File.WriteAllBytesAsync(annotate, Annotate(b, run.BusiestDetections), ct).ConfigureAwait(false);
            if (json) WriteJson(manifest, input, run, annotate);
            else WriteText(manifest, run, annotate);
            return 0;
        }
        catch (Exception ex) when (ex is ModelManifestException or ProbeException or IOException or OnnxRuntimeException or InvalidDataException)
        {
            Console.Error.WriteLine($"edgeai detect: {ex.Message}");
            return ex is ModelManifestException ? RunCommand.ExitConfig : 1;
        }
    }

    private static void WriteText(ModelManifest m, DetectRun run, string? annotate)
    {
        foreach (var f in run.Frames)
        {
            var dets = string.Join("; ", f.Detections.Select(d => FormattableString.Invariant(
                $"{d.Label} {d.Confidence:0.00} [{d.Box.X1 * run.SourceWidth:0},{d.Box.Y1 * run.SourceHeight:0},{d.Box.X2 * run.SourceWidth:0},{d.Box.Y2 * run.SourceHeight:0}]")));
            Console.WriteLine(FormattableString.Invariant($"frame {f.Index}: {f.Detections.Count} detections ({f.Milliseconds:0.0} ms){(dets.Length > 0 ? ": " + dets : "")}"));
        }
        var ms = run.Frames.Select(f => f.Milliseconds).Order().ToList();
        Console.WriteLine(FormattableString.Invariant(
            $"{m.Name} {m.Version}: {run.Frames.Count} frames of {run.SourceWidth}x{run.SourceHeight}, median {(ms.Count > 0 ? ms[ms.Count / 2] : 0):0.0} ms/frame (preprocess + inference + decode){(annotate is null ? "" : ", annotated frame " + run.Busiest?.Index + " → " + annotate)}"));
    }

    private static void WriteJson(ModelManifest m, string input, DetectRun run, string? annotate)
    {
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("model", m.Name);
        w.WriteString("version", m.Version);
        w.WriteString("input", Configuration.CameraConfig.RedactUrl(input));
        w.WriteNumber("width", run.SourceWidth);
        w.WriteNumber("height", run.SourceHeight);
        if (annotate is not null && run.Busiest is { } b) { w.WriteString("annotated", annotate); w.WriteNumber("annotated_frame", b.Index); }
        w.WriteStartArray("frames");
        foreach (var f in run.Frames)
        {
            w.WriteStartObject();
            w.WriteNumber("index", f.Index);
            w.WriteNumber("ms", Math.Round(f.Milliseconds, 2));
            w.WriteStartArray("detections");
            foreach (var d in f.Detections)
            {
                w.WriteStartObject();
                w.WriteString("class", d.Label);
                w.WriteNumber("class_id", d.ClassId);
                w.WriteNumber("confidence", Math.Round(d.Confidence, 4));
                w.WriteStartArray("box");
                w.WriteNumberValue(Math.Round(d.Box.X1 * run.SourceWidth, 1));
                w.WriteNumberValue(Math.Round(d.Box.Y1 * run.SourceHeight, 1));
                w.WriteNumberValue(Math.Round(d.Box.X2 * run.SourceWidth, 1));
                w.WriteNumberValue(Math.Round(d.Box.Y2 * run.SourceHeight, 1));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stdout.WriteByte((byte)'\n');
    }

    /// <summary>Box colours (BGR), one per class id modulo the palette.</summary>
    private static readonly Scalar[] Palette = [new(64, 64, 255), new(255, 200, 64), new(0, 200, 255), new(120, 255, 120), new(255, 120, 255), new(255, 255, 255)];

    /// <summary>
    /// The frame as the model saw it (letterbox content, the evidence images' resolution) with each detection's box and
    /// "class 0.87" label in a colour per class, as JPEG (OpenCV, like the evidence renderer).
    /// </summary>
    internal static unsafe byte[] Annotate(FittedFrame frame, IReadOnlyList<Detection.Detection> detections)
    {
        var g = frame.Geometry;
        var rgb = FramePixels.ContentToRgb(frame.Planar, g);
        int w = g.ContentWidth, h = g.ContentHeight;
        using var canvas = new Mat();
        fixed (byte* p = rgb)
        {
            using var source = Mat.FromPixelData(h, w, MatType.CV_8UC3, (IntPtr)p);
            Cv2.CvtColor(source, canvas, ColorConversionCodes.RGB2BGR);
        }
        var t = Math.Max(1, Math.Max(w, h) / 320);
        var scale = Math.Max(0.35, h / 720.0);
        foreach (var d in detections)
        {
            var colour = Palette[d.ClassId % Palette.Length];
            var (x1, y1) = ((int)(d.Box.X1 * w), (int)(d.Box.Y1 * h));
            Cv2.Rectangle(canvas, new Point(x1, y1), new Point((int)(d.Box.X2 * w) - 1, (int)(d.Box.Y2 * h) - 1), colour, t);
            var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.Label} {d.Confidence:0.00}");
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, scale, 1, out var baseline);
            var top = Math.Max(0, y1 - size.Height - baseline - 2);
            Cv2.Rectangle(canvas, new Rect(x1, top, size.Width + 4, size.Height + baseline + 2), colour, -1);
            Cv2.PutText(canvas, text, new Point(x1 + 2, top + size.Height + 1), HersheyFonts.HersheySimplex, scale, Scalar.Black, 1, LineTypes.AntiAlias);
        }
        Cv2.ImEncode(".jpg", canvas, out var jpeg, [new ImageEncodingParam(ImwriteFlags.JpegQuality, 90)]);
        return jpeg;
    }
}
