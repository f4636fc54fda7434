using System.Diagnostics;
using System.Globalization;
using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Infrastructure;

/// <summary>The RTSP test-camera fixture serves real H.264 that ffmpeg reads, in real time, and can restart.</summary>
public sealed class RtspCameraServerTests
{
    /// <summary>
    /// ffprobe the stream. One retry: under load this sandbox has refused an occasional loopback connect with
    /// EPERM ("Operation not permitted") before the server saw it; a second failure is a real one.
    /// </summary>
    private static async Task<(int Frames, string Codec, string Size)> ReadAsync(string url, double seconds)
    {
        try
        {
            return await ReadOnceAsync(url, seconds);
        }
        catch (Xunit.Sdk.XunitException ex) when (ex.Message.Contains("Operation not permitted"))
        {
            await Task.Delay(300);
            return await ReadOnceAsync(url, seconds);
        }
    }

    private static async Task<(int Frames, string Codec, string Size)> ReadOnceAsync(string url, double seconds)
    {
        var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-rtsp_transport", "tcp", "-read_intervals", $"%+{seconds.ToString(CultureInfo.InvariantCulture)}",
            "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=codec_name,width,height,nb_read_packets", "-of", "csv=p=0", url])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"ffprobe failed on {url}: {err}");
        var f = output.Trim().Split(',');
        return (int.Parse(f[3], CultureInfo.InvariantCulture), f[0], $"{f[1]}x{f[2]}");
    }

    [Fact]
    public async Task Serve_TestClip_FfmpegReadsH264InRealTimePastTheClipEnd()
    {
        var clip = Clips.TestPattern(320, 240, fps: 25, seconds: 2, gop: 25);
        await using var server = await RtspCameraServer.StartNewAsync("cam1", clip);

        var sw = Stopwatch.StartNew();
        var (frames, codec, size) = await ReadAsync(server.Url("cam1"), 3.0);   // longer than the 2 s clip: it loops

        Assert.Equal("h264", codec);
        Assert.Equal("320x240", size);
        Assert.InRange(frames, 65, 85);                     // ~75 frames in 3 s at 25 fps
        Assert.True(sw.Elapsed > TimeSpan.FromSeconds(2.5), $"read 3 s of stream in {sw.Elapsed}: not paced in real time");
    }

    [Fact]
    public async Task StopStart_Camera_GoneThenServedAgainOnSamePort()
    {
        var clip = Clips.TestPattern(320, 240, fps: 25, seconds: 2, gop: 25);
        await using var server = await RtspCameraServer.StartNewAsync("cam1", clip);
        var url = server.Url("cam1");
        Assert.Equal("h264", (await ReadAsync(url, 0.5)).Codec);

        await server.StopAsync();
        var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-rtsp_transport", "tcp", "-timeout", "2000000", url]) { RedirectStandardError = true };
        using (var p = Process.Start(psi)!)
        {
            await p.WaitForExitAsync();
            Assert.NotEqual(0, p.ExitCode);
        }

        await server.StartAsync();
        Assert.Equal(url, server.Url("cam1"));
        Assert.Equal("h264", (await ReadAsync(url, 0.5)).Codec);
    }

    [Fact]
    public async Task Dispose_Server_LeavesNoProcessBehind()
    {
        var clip = Clips.TestPattern(320, 240, fps: 25, seconds: 2, gop: 25);
        var server = await RtspCameraServer.StartNewAsync("cam1", clip);
        var broker = await MosquittoBroker.StartNewAsync();

        await server.DisposeAsync();
        await broker.DisposeAsync();

        Assert.False(server.IsRunning);
        Assert.False(broker.IsRunning);
    }
}
