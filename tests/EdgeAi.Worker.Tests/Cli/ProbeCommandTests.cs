using System.Diagnostics;
using System.Text.Json;
using EdgeAi.Testing;
using OpenCvSharp;

namespace EdgeAi.Worker.Tests.Cli;

/// <summary>`edgeai probe` run as the real command line against real RTSP test cameras.</summary>
public sealed class ProbeCommandTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunEdgeAi(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "edgeai.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Probe_Json_TestCamera_ReportsCodecSizeFpsGopAndSavesSnapshot()
    {
        await using var server = await RtspCameraServer.StartNewAsync("cam", Clips.TestPattern(640, 360, fps: 25, seconds: 4, gop: 25));
        var snapshot = Path.Combine(Path.GetTempPath(), $"edgeai-probe-{Guid.NewGuid():N}.jpg");
        try
        {
            var (code, stdout, stderr) = await RunEdgeAi("probe", server.Url("cam"), "--json", "--snapshot", snapshot);

            Assert.True(code == 0, $"exit {code}: {stderr}{stdout}\n--- rtsp server running={server.IsRunning}\n{server.Log}");
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal("h264", json.RootElement.GetProperty("codec").GetString());
            Assert.Equal(640, json.RootElement.GetProperty("width").GetInt32());
            Assert.Equal(360, json.RootElement.GetProperty("height").GetInt32());
            Assert.Equal(25, json.RootElement.GetProperty("fps").GetDouble(), 1);
            Assert.Equal(1.0, json.RootElement.GetProperty("key_frame_interval_seconds").GetDouble(), 1);
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("advice").ValueKind);   // a 1 s GOP needs none
            using var image = Cv2.ImRead(snapshot);
            Assert.Equal((640, 360), (image.Width, image.Height));
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    [Fact]
    public async Task Probe_Json_LongGopClip_ReportsThe25sKeyFrameIntervalAndAdvice()
    {
        // OpenCV's vtest.avi (real CCTV footage): one key frame every 25 s, beyond the first 6 s read.
        var (code, stdout, stderr) = await RunEdgeAi("probe", RealWorld.RealWorldAssets.Vtest, "--json", "--snapshot", "none");

        Assert.True(code == 0, $"exit {code}: {stderr}{stdout}");
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(25.0, json.RootElement.GetProperty("key_frame_interval_seconds").GetDouble(), 1);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("key_frame_interval_at_least_seconds").ValueKind);
        Assert.Contains("decode.max_analysis_interval", json.RootElement.GetProperty("advice").GetString());
    }

    [Fact]
    public async Task Probe_UnreachableCamera_ExitsNonZeroWithReason()
    {
        var (code, stdout, stderr) = await RunEdgeAi("probe", $"rtsp://127.0.0.1:{FreePort.Get()}/none", "--snapshot", "none", "--timeout", "2");

        Assert.Equal(2, code);
        Assert.Contains("probe failed", stderr);
        Assert.Contains("connection refused", stderr);
    }

    [Fact]
    public async Task Probe_NotVideo_ExitsNonZeroSayingSo()
    {
        var audio = Path.Combine(Path.GetTempPath(), $"edgeai-audio-{Guid.NewGuid():N}.wav");
        var gen = Process.Start("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", audio])!;
        await gen.WaitForExitAsync();
        try
        {
            var (code, _, stderr) = await RunEdgeAi("probe", audio, "--snapshot", "none");
            Assert.Equal(2, code);
            Assert.Contains("is not a video stream", stderr);
        }
        finally
        {
            File.Delete(audio);
        }
    }
}
