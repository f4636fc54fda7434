using System.Diagnostics;
using System.Globalization;
using EdgeAi.Interop.Processes;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace EdgeAi.Worker.Recording;

/// <summary>
/// <c>delivery: blurred</c>: re-encodes a clip at a bounded resolution and frame rate with persons blurred, so it may leave
/// the box. One ffmpeg decodes the clip to BGR at most <see cref="RecordingOptions.BlurredMaxWidth"/> wide and
/// <see cref="RecordingOptions.BlurredFps"/>; each frame is letterboxed to the model input, run through this blurrer's own
/// detector (a second ONNX Runtime session of the camera's model, one thread: the inference stage's session is not shared
/// across threads), and every person box of this frame and the one before (grown by a quarter, to cover motion between
/// frames) is blurred like snapshot evidence; a second ffmpeg encodes H.264 (<c>veryfast</c>, CRF 28, +faststart).
/// Cost per 30 s clip at the defaults (640 px, 5 fps): 150 detector runs at model size, one decode of the source and one
/// small encode. Clips are made one at a time (a lock): a burst of episodes queues rather than starving the cameras.
/// </summary>
internal sealed class ClipBlurrer : IDisposable
{
    private readonly OnnxDetector _detector;
    private readonly HashSet<string> _persons;
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <param name="classMap">The model's class map (labels renamed as the rules see them).</param>
    /// <param name="blurClasses">Classes to blur (after the class map; <c>evidence.blur_classes</c>); default person.</param>
    public ClipBlurrer(ModelManifest manifest, IReadOnlyDictionary<string, string>? classMap, ILogger<OnnxDetector> logger, IReadOnlyCollection<string>? blurClasses = null)
    {
        _detector = new OnnxDetector(manifest, new InferenceOptions { Threads = 1, BatchSize = 1 }, logger);
        var blur = blurClasses ?? ["person"];
        _persons = [.. manifest.Labels.Where(l => blur.Contains(classMap?.GetValueOrDefault(l) ?? l))];
        if (_persons.Count == 0) _persons.Add("person");
    }

    /// <summary>Writes the blurred clip of <paramref name="input"/> to <paramref name="output"/> and returns its bytes.</summary>
    public async Task<byte[]> BlurAsync(string input, string output, RecordingOptions options, CancellationToken ct)
    {
        await _one.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Blur(input, output, options, ct), ct).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private byte[] Blur(string input, string output, RecordingOptions options, CancellationToken ct)
    {
        var source = ClipCutter.ProbeAsync(input, ct).GetAwaiter().GetResult();
        var width = Even(Math.Min(options.BlurredMaxWidth, source.Width));
        var height = Even((int)Math.Round(source.Height * (double)width / source.Width));
        var fps = options.BlurredFps.ToString("0.###", CultureInfo.InvariantCulture);
        var frameBytes = width * height * 3;

        using var decoder = Start(["-hide_banner", "-nostdin", "-loglevel", "error", "-i", input, "-map", "0:v:0",
            "-vf", $"fps={fps},scale={width}:{height}:flags=bilinear", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"], stdin: false);
        using var encoder = Start(["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
            "-s", $"{width}x{height}", "-r", fps, "-i", "pipe:0", "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", "-f", "mp4", output], stdin: true);
        var decodeErrors = decoder.StandardError.ReadToEndAsync(CancellationToken.None);
        var encodeErrors = encoder.StandardError.ReadToEndAsync(CancellationToken.None);

        var model = _detector.Manifest.Input;
        var geometry = LetterboxGeometry.For(width, height, model.Width, model.Height, model.Fit.Mode);
        var frame = new byte[frameBytes];
        var planar = new byte[_detector.FrameBytes];
        var previous = new List<Detection.BoxF>();
        var results = new List<Detection.Detection>();
        using var letterboxed = new Mat(model.Height, model.Width, MatType.CV_8UC3);
        var stdout = decoder.StandardOutput.BaseStream;
        var stdin = encoder.StandardInput.BaseStream;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                try { stdout.ReadExactly(frame); }
                catch (EndOfStreamException) { break; }
                using var bgr = Mat.FromPixelData(height, width, MatType.CV_8UC3, frame);
                Letterbox(bgr, letterboxed, geometry, model.Fit.PadValue, planar);
                results.Clear();
                _detector.Detect([planar], [geometry], [results]);
                var persons = results.Where(d => _persons.Contains(d.Label)).Select(d => d.Box).ToList();
                foreach (var box in persons.Concat(previous)) BlurBox(bgr, box, width, height);
                previous = persons;
                stdin.Write(frame);
            }
        }
        finally
        {
            stdin.Close();
        }
        decoder.WaitForExit();
        encoder.WaitForExit();
        if (decoder.ExitCode != 0) throw new ClipException($"ffmpeg (blur decode) exited {decoder.ExitCode}: {decodeErrors.Result.Trim()}");
        if (encoder.ExitCode != 0) throw new ClipException($"ffmpeg (blur encode) exited {encoder.ExitCode}: {encodeErrors.Result.Trim()}");
        return File.ReadAllBytes(output);
    }

    /// <summary>Scales <paramref name="bgr"/> into the letterbox and writes it as planar G, B, R (ffmpeg gbrp, what the detector reads).</summary>
    private static void Letterbox(Mat bgr, Mat canvas, LetterboxGeometry g, byte pad, byte[] planar)
    {
        canvas.SetTo(new Scalar(pad, pad, pad));
        using (var content = new Mat(canvas, new Rect(g.PadX, g.PadY, g.ContentWidth, g.ContentHeight)))
            Cv2.Resize(bgr, content, new Size(g.ContentWidth, g.ContentHeight), 0, 0, InterpolationFlags.Linear);
        Cv2.Split(canvas, out var planes);   // B, G, R
        try
        {
            var size = g.InputWidth * g.InputHeight;
            planes[1].GetArray(out byte[] green);
            planes[0].GetArray(out byte[] blue);
            planes[2].GetArray(out byte[] red);
            green.CopyTo(planar, 0);
            blue.CopyTo(planar, size);
            red.CopyTo(planar, 2 * size);
        }
        finally
        {
            foreach (var p in planes) p.Dispose();
        }
    }

    /// <summary>Blurs the box (normalised to the frame) grown by a quarter on each side: two box filters, as snapshot evidence.</summary>
    private static void BlurBox(Mat bgr, Detection.BoxF box, int width, int height)
    {
        var bw = box.X2 - box.X1;
        var bh = box.Y2 - box.Y1;
        var x1 = (int)Math.Floor(Math.Clamp(box.X1 - bw / 4, 0, 1) * width);
        var y1 = (int)Math.Floor(Math.Clamp(box.Y1 - bh / 4, 0, 1) * height);
        var x2 = (int)Math.Ceiling(Math.Clamp(box.X2 + bw / 4, 0, 1) * width);
        var y2 = (int)Math.Ceiling(Math.Clamp(box.Y2 + bh / 4, 0, 1) * height);
        int w = x2 - x1, h = y2 - y1;
        if (w <= 1 || h <= 1) return;
        Evidence.EvidenceRenderer.BlurRegion(bgr, new Rect(x1, y1, w, h));
    }

    private static int Even(int v) => Math.Max(2, v - v % 2);

    private static Process Start(IReadOnlyList<string> args, bool stdin)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = !stdin, RedirectStandardInput = stdin, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try { return ChildProcess.Start(psi); }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ClipException($"cannot start ffmpeg: {ex.Message}");
        }
    }

    public void Dispose()
    {
        _detector.Dispose();
        _one.Dispose();
    }
}
