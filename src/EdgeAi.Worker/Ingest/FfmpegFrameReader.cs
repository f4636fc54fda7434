using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeAi.Interop.Processes;
using EdgeAi.Worker.Inference;

namespace EdgeAi.Worker.Ingest;

/// <summary>One decoded frame as the detector gets it: planar GBR fitted to the model input, and where it sits.</summary>
public sealed record FittedFrame(int Index, byte[] Planar, LetterboxGeometry Geometry, int SourceWidth, int SourceHeight);

/// <summary>
/// Decodes a picture (JPEG, PNG…), a clip or a stream URL with one ffmpeg process into frames fitted to a model input
/// with the same filters as the camera ingest (<see cref="FfmpegArguments.FitFilters"/>), so a one-off check
/// (<c>edgeai detect</c>, <c>models verify --image</c>) sees exactly what the pipeline would.
/// </summary>
public static class FfmpegFrameReader
{
    /// <param name="fps">Sample the input at this rate (null: every frame).</param>
    /// <param name="maxFrames">Stop after this many frames.</param>
    public static async IAsyncEnumerable<FittedFrame> ReadAsync(string input, int width, int height, ImageFit fit, double? fps, int maxFrames,
        TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!input.Contains("://", StringComparison.Ordinal) && !File.Exists(input)) throw new ProbeException($"{input}: no such file");
        var probe = await CameraProbe.RunAsync(input, null, timeout, ct).ConfigureAwait(false);
        var geometry = LetterboxGeometry.For(probe.Width, probe.Height, width, height, fit.Mode);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        var filters = new List<string>();
        if (fps is { } f) filters.Add($"fps={f.ToString(CultureInfo.InvariantCulture)}");
        filters.AddRange(FfmpegArguments.FitFilters(width, height, fit));
        filters.Add("format=gbrp");
        string[] inputArgs = input.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) ? ["-rtsp_transport", "tcp", "-i", input] : ["-i", input];
        foreach (var a in (string[])["-v", "error", "-nostdin", .. inputArgs, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", string.Join(',', filters),
                     "-frames:v", maxFrames.ToString(CultureInfo.InvariantCulture), "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1"])
            psi.ArgumentList.Add(a);
        using var p = ChildProcess.Start(psi);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        var bytes = width * height * 3;
        var index = 0;
        try
        {
            while (index < maxFrames)
            {
                var frame = new byte[bytes];
                using (var stall = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    stall.CancelAfter(timeout);
                    try
                    {
                        await p.StandardOutput.BaseStream.ReadExactlyAsync(frame, stall.Token).ConfigureAwait(false);
                    }
                    catch (EndOfStreamException)
                    {
                        break;
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        throw new ProbeException($"{CameraConfigRedact(input)}: no frame within {timeout.TotalSeconds:0} s");
                    }
                }
                yield return new FittedFrame(index++, frame, geometry, probe.Width, probe.Height);
            }
        }
        finally
        {
            if (!p.HasExited) ChildProcess.KillTree(p, TimeSpan.FromSeconds(2));
        }
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (index == 0) throw new ProbeException($"{CameraConfigRedact(input)}: ffmpeg decoded no frame: {(await stderr.ConfigureAwait(false)).Trim()}");
    }

    private static string CameraConfigRedact(string url) => Configuration.CameraConfig.RedactUrl(url);
}
