using System.Diagnostics;
using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Ingest;

namespace EdgeAi.Worker.Tests.Ingest;

public sealed class FfmpegStderrTests
{
    [Fact]
    public void TryParseVideoStream_InputLine_CodecAndSize()
    {
        Assert.True(FfmpegStderr.TryParseVideoStream("  Stream #0:0: Video: h264 (High), yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn", out var codec, out var w, out var h));
        Assert.Equal(("h264", 1920, 1080), (codec, w, h));
    }

    [Fact]
    public void Classify_RefusedAndNotVideo_ReasonAndPermanence()
    {
        Assert.Equal(("connection refused", false), FfmpegStderr.Classify(["[tcp @ 0x1] Connection to tcp://127.0.0.1:1 failed: Connection refused"], 1));
        Assert.Equal(("not a video stream", true), FfmpegStderr.Classify(["Stream map '0:v:0' matches no streams."], 1));
        Assert.Equal(("ffmpeg exited with code 69: something odd", false), FfmpegStderr.Classify(["something odd"], 69));
    }

    [Theory]
    [InlineData("rtsp://admin:secret@10.0.0.5:554/stream1", "rtsp://***@10.0.0.5:554/stream1")]
    [InlineData("rtsp://10.0.0.5/stream1", "rtsp://10.0.0.5/stream1")]
    [InlineData("rtsp://10.0.0.5/path@x", "rtsp://10.0.0.5/path@x")]
    public void RedactUrl_Credentials_Hidden(string url, string expected) => Assert.Equal(expected, CameraConfig.RedactUrl(url));

    [Fact]
    public void Build_KeyframesRtsp_TcpTimeoutSkipFrameLetterboxPlanar()
    {
        var args = FfmpegArguments.Build(new CameraConfig { Id = "c", Url = "rtsp://h/s" }, 320, 320);
        var line = string.Join(' ', args);
        Assert.Contains("-rtsp_transport tcp -timeout 5000000", line);
        Assert.Contains("-threads 1 -skip_frame nokey -skip_loop_filter all -i rtsp://h/s", line);
        Assert.Contains("scale=320:320:force_original_aspect_ratio=decrease:flags=bilinear,pad=320:320:(ow-iw)/2:(oh-ih)/2:color=0x727272,format=gbrp", line);
        Assert.EndsWith("-fps_mode passthrough -f rawvideo pipe:1", line);
    }

    [Theory]
    [InlineData(null, 20)]    // every key frame: 5 per second for 4 s
    [InlineData(1.0, 4)]      // about one per second: t = 0, 1, 2, 3
    [InlineData(0.5, 3)]      // about one per 2 s (0.9 × 2 s slack): t = 0, 1.8, 3.6
    public async Task Build_KeyframesMaxFps_RealFfmpegDeliversThatManyFrames(double? maxFps, int expected)
    {
        var clip = Clips.TestPattern(320, 240, fps: 25, seconds: 4, gop: 5);
        var camera = new CameraConfig { Id = "c", Url = clip, Decode = new DecodeOptions(DecodeMode.Keyframes) { MaxFps = maxFps } };
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in FfmpegArguments.Build(camera, 64, 64, fromFile: true)) psi.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(psi)!;
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        await ffmpeg.StandardOutput.BaseStream.CopyToAsync(output);
        await ffmpeg.WaitForExitAsync();

        Assert.True(ffmpeg.ExitCode == 0, await stderr);
        Assert.Equal(expected * 64 * 64 * 3, output.Length);
    }

    [Theory]
    [InlineData("[h264 @ 0x55d0c8a4c440] error while decoding MB 12 7, bytestream -5", true)]
    [InlineData("[h264 @ 0x55d0c8a4c440] concealing 1200 DC, 1200 AC, 1200 MV errors in I frame", true)]
    [InlineData("[h264 @ 0x55d0c8a4c440] non-existing PPS 3 referenced", true)]
    [InlineData("[h264 @ 0x55d0c8a4c440] decode_slice_header error", true)]
    [InlineData("  Stream #0:0: Video: h264 (High), yuv420p(progressive), 640x360, 25 fps", false)]
    [InlineData("[rtsp @ 0x55d0c8a4c440] method SETUP failed: 461 Unsupported transport", false)]
    [InlineData("frame=  100 fps= 25 q=-0.0 size=N/A time=00:00:04.00 bitrate=N/A speed=   1x", false)]
    public void IsDecodeError_DecoderComplaintsOnly(string line, bool expected) => Assert.Equal(expected, FfmpegStderr.IsDecodeError(line));
}
