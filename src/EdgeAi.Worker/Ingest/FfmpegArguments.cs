using System.Globalization;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// Builds the ffmpeg command line for one camera: RTSP over TCP with a socket timeout, optional hardware
/// decode, key-frame-only or sampled decode, and scale + letterbox + planar RGB conversion inside ffmpeg, so
/// the worker reads ready-to-normalise frames of exactly <c>3 × W × H</c> bytes from stdout.
/// </summary>
public static class FfmpegArguments
{
    /// <summary>Default letterbox pad value 114 (as most detectors were trained), for all three channels.</summary>
    public const string PadColor = "0x727272";

    /// <param name="fromFile">A clip file read as fast as possible (eval) rather than a live camera: adds
    /// <c>showinfo</c> so every frame's stream timestamp can be read from stderr.</param>
    /// <param name="fit">The model's letterbox mode and pad value (manifest <c>input.letterbox</c>, <c>input.pad_value</c>);
    /// default centred with 114.</param>
    /// <param name="fullResolution">An image2 file pattern (e.g. <c>/dev/shm/…/r1-%08d.jpg</c>): the selected frames are split
    /// after the frame selection and each is also written there at the camera's own size as a high-quality JPEG, file N being
    /// the N-th frame on stdout (<see cref="FullResolutionFrames"/>). Null: the model frames only.</param>
    public static IReadOnlyList<string> Build(CameraConfig camera, int width, int height, bool fromFile = false, ImageFit? fit = null, string? fullResolution = null)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info" };
        switch (camera.Hwaccel)
        {
            case Hwaccel.Cuda: args.AddRange(["-hwaccel", "cuda"]); break;
            case Hwaccel.Vaapi: args.AddRange(["-hwaccel", "vaapi"]); break;
        }
        if (camera.Url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || camera.Url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            var timeoutUs = ((long)camera.Decode.SocketTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
            args.AddRange(["-rtsp_transport", "tcp", "-timeout", timeoutUs]);
        }
        var keyframes = camera.Decode.Mode == DecodeMode.Keyframes;
        // Key frames only; and without the deblocking filter: nothing is predicted from these frames (every P frame is
        // skipped), so no error can build up, and the 1080p → analysis-size downscale averages the block edges away.
        // Saves ~10-15 % of the decode, which is most of the worker's CPU per camera in this mode.
        // One decoder thread: a key frame every second or two needs no frame threads, and on a box with many cameras the
        // parallelism comes from the cameras; ffmpeg's automatic threading gave each camera a pool of threads and their buffers.
        if (keyframes) args.AddRange(["-threads", "1", "-skip_frame", "nokey", "-skip_loop_filter", "all"]);
        args.AddRange(["-i", camera.Url]);

        var filters = new List<string>();
        if (!keyframes) filters.Add($"fps={camera.Decode.Fps.ToString(CultureInfo.InvariantCulture)}");
        else if (camera.Decode.MaxFps is { } maxFps)
        {
            // At most about max_fps key frames: keep one when 0.9/max_fps s passed since the last kept (never duplicates;
            // the slack keeps a 0.96 s GOP at max_fps 0.5 to one frame per ~2 s rather than per 3).
            var gap = (0.9 / maxFps).ToString("0.###", CultureInfo.InvariantCulture);
            filters.Add($"select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{gap})'");
        }
        var model = new List<string>(FitFilters(width, height, fit ?? ImageFit.Default)) { "format=gbrp" };
        if (fromFile) model.Add("showinfo=checksum=0");   // timestamps only: the per-plane checksums cost ~5 % of ingest speed
        if (fullResolution is null)
        {
            args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", string.Join(',', filters.Concat(model)), "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1"]);
            return args;
        }
        // One decode, one selection, two outputs of the same frames: the full-size JPEG first (ffmpeg writes its outputs in
        // order, so file N is complete, and renamed into place, before frame N reaches stdout), then the model frame. One
        // encoder thread: mjpeg's frame threads would hold each picture back by a few frames, and a JPEG every second or
        // two needs no parallelism.
        var selected = filters.Count > 0 ? string.Join(',', filters) + "," : "";
        args.AddRange(["-filter_complex", $"[0:v:0]{selected}split=2[full][fit];[fit]{string.Join(',', model)}[model]",
            "-map", "[full]", "-fps_mode", "passthrough", "-c:v", "mjpeg", "-q:v", "2", "-threads:v", "1", "-f", "image2", "-atomic_writing", "1", fullResolution,
            "-map", "[model]", "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    /// <summary>
    /// The scale (and pad) filters that fit a frame into a <paramref name="width"/>×<paramref name="height"/> model input
    /// as <see cref="LetterboxGeometry.For"/> computes it: centred or top-left letterbox with the pad value, or a stretch.
    /// </summary>
    public static IEnumerable<string> FitFilters(int width, int height, ImageFit fit)
    {
        if (fit.Mode == LetterboxMode.Stretch)
        {
            yield return $"scale={width}:{height}:flags=bilinear";
            yield break;
        }
        yield return $"scale={width}:{height}:force_original_aspect_ratio=decrease:flags=bilinear";
        var color = $"0x{fit.PadValue:x2}{fit.PadValue:x2}{fit.PadValue:x2}";
        yield return fit.Mode == LetterboxMode.TopLeft
            ? $"pad={width}:{height}:0:0:color={color}"
            : $"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color={color}";
    }
}
