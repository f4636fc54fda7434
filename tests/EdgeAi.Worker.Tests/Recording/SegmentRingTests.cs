using System.Diagnostics;
using EdgeAi.Testing;
using EdgeAi.Worker.Recording;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Tests.Recording;

/// <summary>
/// The rolling recording with a real ffmpeg reading a real RTSP camera through <see cref="SegmentRing.OutputArguments"/>:
/// the ring stays within its seconds and bytes bounds on disk (the oldest segments deleted), and its segments carry
/// wall-clock times that follow one another.
/// </summary>
public sealed class SegmentRingTests : IAsyncLifetime
{
    private readonly string _dir = TestPaths.NewTempDir("ring");
    private RtspCameraServer _camera = null!;

    public async Task InitializeAsync() =>
        _camera = await RtspCameraServer.StartNewAsync("cam", Clips.TestPattern(640, 360, fps: 25, seconds: 4, gop: 25));

    [Theory]
    [InlineData(4.0, 256L << 20)]   // bounded by seconds
    [InlineData(3600.0, 150_000L)]  // bounded by bytes (a few segments of this stream)
    public async Task Ring_LiveCamera_StaysWithinSecondsAndBytes(double ringS, long ringBytes)
    {
        var options = new RecordingOptions { Directory = _dir, SegmentLength = TimeSpan.FromSeconds(1), RingLength = TimeSpan.FromSeconds(ringS), RingMaxBytes = ringBytes };
        using var ring = new SegmentRing("cam", options, NullLogger.Instance);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", _camera.Url("cam") }) psi.ArgumentList.Add(a);
        foreach (var a in ring.OutputArguments()) psi.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(psi)!;
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.UntilAsync(() => ring.Deleted >= 4, TimeSpan.FromSeconds(90),
                () => $"ring deleted {ring.Deleted} segments; holds {ring.Count}, {ring.Bytes} bytes; ffmpeg exited: {ffmpeg.HasExited}");
            ring.Poll();
            Assert.True(ring.Bytes <= ringBytes, $"{ring.Bytes} bytes in a ring of {ringBytes}");
            Assert.True(ring.Seconds <= ringS, $"{ring.Seconds} s in a ring of {ringS} s");
            Assert.True(ring.Count >= 1);
            // On disk: the ring's segments plus at most the one being written (and the lists).
            var files = Directory.GetFiles(ring.Folder, "*.ts");
            Assert.InRange(files.Length, ring.Count, ring.Count + 1);
            var segments = ring.Covering(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            var biggest = segments.Max(s => s.Bytes);
            Assert.True(files.Sum(f => new FileInfo(f).Length) <= ringBytes + 2 * biggest, "disk use over the bound by more than the segment being written");
            for (var i = 1; i < segments.Count; i++)
            {
                Assert.True(segments[i].Start >= segments[i - 1].Start, "segments out of order");
                Assert.True(Math.Abs((segments[i].Start - segments[i - 1].End).TotalSeconds) < 0.5, $"gap or overlap between segments {i - 1} and {i}");
            }
            Assert.InRange((DateTimeOffset.UtcNow - ring.LatestEnd!.Value).TotalSeconds, -1, 10);   // wall clock, not stream time
        }
        finally
        {
            ffmpeg.Kill();
            await ffmpeg.WaitForExitAsync();
            await stderr;
        }
    }

    [Fact]
    public async Task RecordingFails_DiskGone_AnalysisOutputGoesOn()
    {
        var options = new RecordingOptions { Directory = _dir, SegmentLength = TimeSpan.FromSeconds(1) };
        using var ring = new SegmentRing("cam", options, NullLogger.Instance);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The worker's shape: an analysis output on stdout, then the recording.
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", _camera.Url("cam"),
                     "-map", "0:v:0", "-vf", "scale=32:18,format=gbrp", "-f", "rawvideo", "pipe:1" }) psi.ArgumentList.Add(a);
        foreach (var a in ring.OutputArguments()) psi.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(psi)!;
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        long read = 0;
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            int n;
            while ((n = await ffmpeg.StandardOutput.BaseStream.ReadAsync(buffer)) > 0) Interlocked.Add(ref read, n);
        });
        try
        {
            await Eventually.UntilAsync(() => ring.Count >= 2, TimeSpan.FromSeconds(60), () => $"ring holds {ring.Count}");
            // The recording's folder becomes unwritable (a file where the folder was): the next segment cannot open.
            ring.Dispose();
            Directory.Delete(ring.Folder, recursive: true);
            File.WriteAllText(ring.Folder, "not a folder");
            // Three seconds of frames later (three segment ends, each failing to open the next), ffmpeg still analyses.
            var before = Interlocked.Read(ref read);
            await Eventually.UntilAsync(() => Interlocked.Read(ref read) > before + 3 * 32 * 18 * 3 * 25, TimeSpan.FromSeconds(30),
                () => $"analysis output stopped after the recording failed (exited: {ffmpeg.HasExited})");
            Assert.False(ffmpeg.HasExited, "ffmpeg exited when its recording failed");
        }
        finally
        {
            if (!ffmpeg.HasExited) ffmpeg.Kill();
            await ffmpeg.WaitForExitAsync();
            await reader;
        }
        Assert.Contains("failed", await stderr);   // the tee reported the recording's failure
    }

    public async Task DisposeAsync() => await _camera.DisposeAsync();
}
