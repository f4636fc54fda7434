using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeAi.Testing;
using EdgeAi.Worker.Health;

namespace EdgeAi.Worker.Tests.Pipeline;

/// <summary>The whole frame pipeline over real RTSP cameras, real ffmpeg and real ONNX Runtime.</summary>
public sealed class WorkerPipelineTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(45);

    // 5 key frames per second (GOP 5 at 25 fps) so key-frame-only decode gives a brisk test.
    private static string Clip => Clips.TestPattern(320, 240, fps: 25, seconds: 4, gop: 5);

    private static async Task<RtspCameraServer[]> StartCameras(int n)
    {
        var servers = new RtspCameraServer[n];
        for (var i = 0; i < n; i++) servers[i] = await RtspCameraServer.StartNewAsync($"cam{i}", Clip);
        return servers;
    }

    private static string Describe(PipelineHarness h, IEnumerable<RtspCameraServer>? servers = null) =>
        string.Join("; ", h.Pipeline.Health.Values.Select(x => x.Snapshot()).Select(s =>
            $"{s.CameraId} {s.State} in={s.FramesIn} analysed={s.FramesAnalysed} err={s.LastError}"))
        + string.Concat((servers ?? []).Select(s => $"\n--- rtsp server :{s.Port} running={s.IsRunning}\n{s.Log}"));

    [Fact]
    public async Task Run_FourCameras_AllReachInferenceAndYieldDetections()
    {
        var servers = await StartCameras(4);
        try
        {
            await using var h = new PipelineHarness(servers.Select((s, i) => PipelineHarness.Camera($"cam{i}", s.Url($"cam{i}"))).ToList());

            await PipelineHarness.WaitUntil(() => Enumerable.Range(0, 4).All(i => h.Frames($"cam{i}") >= 5), Long, () => Describe(h, servers));

            foreach (var i in Enumerable.Range(0, 4))
            {
                var r = h.Records[$"cam{i}"];
                Assert.True(r.Detections > 0, $"cam{i}: no detections from the model");
                Assert.Equal((320, 240), r.LastSize);
                var snap = h.Pipeline.Health[$"cam{i}"].Snapshot();
                Assert.Equal(CameraState.Streaming, snap.State);
                Assert.Equal("h264", snap.Codec);
                Assert.True(snap.InferenceP50Ms > 0);
            }
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task Run_OneCameraServerStopped_BacksOffAndRecoversWhileOthersKeepStreaming()
    {
        var servers = await StartCameras(3);
        try
        {
            await using var h = new PipelineHarness(servers.Select((s, i) => PipelineHarness.Camera($"cam{i}", s.Url($"cam{i}"), TimeSpan.FromSeconds(3))).ToList());
            await PipelineHarness.WaitUntil(() => Enumerable.Range(0, 3).All(i => h.Frames($"cam{i}") >= 3), Long, () => Describe(h, servers));

            await servers[0].StopAsync();
            await PipelineHarness.WaitUntil(() => h.Pipeline.Health["cam0"].State is CameraState.Backoff or CameraState.Failed, Long, () => Describe(h, servers));
            var others = new[] { h.Frames("cam1"), h.Frames("cam2") };
            await Task.Delay(3000);
            Assert.True(h.Frames("cam1") > others[0] && h.Frames("cam2") > others[1], $"other cameras stalled: {Describe(h)}");
            Assert.NotNull(h.Pipeline.Health["cam0"].LastError);

            var before = h.Frames("cam0");
            var reconnects = h.Pipeline.Health["cam0"].Reconnects;
            await servers[0].StartAsync();
            await PipelineHarness.WaitUntil(() => h.Frames("cam0") > before + 2, Long, () => Describe(h, servers));   // backoff cap is 2 s here
            Assert.Equal(CameraState.Streaming, h.Pipeline.Health["cam0"].State);
            Assert.True(h.Pipeline.Health["cam0"].Reconnects >= reconnects);
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task Run_GarbageAndUnreachableCameras_ReportReasonsAndDoNotAffectOthers()
    {
        var servers = await StartCameras(1);
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        var garbagePort = ((IPEndPoint)garbage.LocalEndpoint).Port;
        using var stopGarbage = new CancellationTokenSource();
        var garbageTask = ServeGarbageAsync(garbage, stopGarbage.Token);
        var unreachablePort = FreePort.Get();
        try
        {
            await using var h = new PipelineHarness([
                PipelineHarness.Camera("good", servers[0].Url("cam0")),
                PipelineHarness.Camera("garbage", $"rtsp://127.0.0.1:{garbagePort}/live"),
                PipelineHarness.Camera("unreachable", $"rtsp://127.0.0.1:{unreachablePort}/live"),
            ]);

            await PipelineHarness.WaitUntil(() =>
                h.Pipeline.Health["garbage"].State is CameraState.Backoff or CameraState.Failed &&
                h.Pipeline.Health["unreachable"].State is CameraState.Backoff or CameraState.Failed &&
                h.Frames("good") >= 5, Long, () => Describe(h, servers));

            Assert.Equal("connection refused", h.Pipeline.Health["unreachable"].LastError);
            Assert.False(string.IsNullOrEmpty(h.Pipeline.Health["garbage"].LastError));
            Assert.Equal(0, h.Frames("garbage"));
            Assert.Equal(0, h.Frames("unreachable"));
            Assert.Equal(CameraState.Streaming, h.Pipeline.Health["good"].State);
        }
        finally
        {
            stopGarbage.Cancel();
            garbage.Stop();
            await servers[0].DisposeAsync();
        }
    }

    [Fact]
    public async Task Run_CorruptedH264Camera_ReportedDegradedWithReason_OthersKeepTheirRate()
    {
        var corrupted = CorruptedCopy(Clip);
        await using var good = await RtspCameraServer.StartNewAsync("good", Clip);
        await using var bad = await RtspCameraServer.StartNewAsync("bad", corrupted);
        await using var h = new PipelineHarness([
            PipelineHarness.Camera("good", good.Url("good")),
            PipelineHarness.Camera("bad", bad.Url("bad")),
        ]);

        await PipelineHarness.WaitUntil(() => h.Pipeline.Health["bad"].Snapshot().State == CameraState.Degraded && h.Frames("good") >= 5, Long,
            () => Describe(h, [good, bad]));

        var snapshot = h.Pipeline.Health["bad"].Snapshot();
        Assert.Contains("decoder errors", snapshot.LastError);
        Assert.True(snapshot.DecodeErrors > 0);
        var goodBefore = h.Frames("good");
        await PipelineHarness.WaitUntil(() => h.Frames("good") >= goodBefore + 3, Long, () => Describe(h, [good, bad]));
        Assert.Equal(CameraState.Streaming, h.Pipeline.Health["good"].Snapshot().State);
        Assert.Equal(0, h.Pipeline.Health["good"].DecodeErrors);
    }

    [Fact]
    public async Task Run_AudioOnlyCamera_FailsWithReason_OthersKeepTheirRate()
    {
        // A reachable RTSP source that carries no video (an intercom or microphone channel configured by mistake).
        await using var server = await RtspCameraServer.StartNewAsync(new Dictionary<string, string> { ["good"] = Clip, ["audio"] = RtspCameraServer.AudioOnly });
        await using var h = new PipelineHarness([
            PipelineHarness.Camera("good", server.Url("good")),
            PipelineHarness.Camera("audio", server.Url("audio")),
        ]);

        await PipelineHarness.WaitUntil(() => h.Pipeline.Health["audio"].Snapshot().State == CameraState.Failed && h.Frames("good") >= 5, Long,
            () => Describe(h, [server]));

        Assert.Equal("not a video stream", h.Pipeline.Health["audio"].Snapshot().LastError);
        Assert.Equal(0, h.Frames("audio"));
        var goodBefore = h.Frames("good");
        await PipelineHarness.WaitUntil(() => h.Frames("good") >= goodBefore + 3, Long, () => Describe(h, [server]));
        Assert.Equal(CameraState.Streaming, h.Pipeline.Health["good"].Snapshot().State);
    }

    /// <summary>A copy of <paramref name="clip"/> with random bytes written into its media data (container intact,
    /// H.264 slices damaged), as a camera with a failing encoder or a lossy link would deliver. Deterministic.</summary>
    private static string CorruptedCopy(string clip)
    {
        var path = Path.Combine(Path.GetDirectoryName(clip)!, Path.GetFileNameWithoutExtension(clip) + "-corrupted.mp4");
        var bytes = File.ReadAllBytes(clip);
        var mdat = bytes.AsSpan().IndexOf("mdat"u8);
        Assert.True(mdat > 0, "no mdat box in the clip");
        var random = new Random(20261122);
        for (var i = mdat + 4096; i < bytes.Length; i += 1500) bytes[i + random.Next(0, 1000) % (bytes.Length - i)] = (byte)random.Next(256);
        var tmp = path + $".{Guid.NewGuid():N}";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    [Fact]
    public async Task Stop_Draining_CompletesAnalyticsAndLeavesNoFfmpeg()
    {
        var servers = await StartCameras(2);
        try
        {
            var h = new PipelineHarness(servers.Select((s, i) => PipelineHarness.Camera($"cam{i}", s.Url($"cam{i}"))).ToList());
            await PipelineHarness.WaitUntil(() => h.Frames("cam0") >= 2 && h.Frames("cam1") >= 2, Long, () => Describe(h, servers));

            await h.StopAsync();

            Assert.True(h.Records["cam0"].Completed && h.Records["cam1"].Completed, "analytics not completed on drain");
            Assert.All(h.Pipeline.Health.Values, x => Assert.Equal(CameraState.Stopped, x.State));
            Assert.Empty(ChildFfmpegProcesses(servers.Select(x => $"rtsp://127.0.0.1:{x.Port}/")));
            await h.DisposeAsync();
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    /// <summary>Ingest ffmpeg processes (children of this test process) still running for one of <paramref name="sources"/>
    /// (URL prefixes): other tests in this process run their own ingest (eval, quality) or encode clips meanwhile.</summary>
    internal static IReadOnlyList<int> ChildFfmpegProcesses(IEnumerable<string> sources)
    {
        var me = Environment.ProcessId.ToString();
        return Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    // Ingest ffmpeg only (raw frames to stdout); a parallel test may be encoding a clip with ffmpeg.
                    var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
                    return fields[1] == me && stat.Contains("(ffmpeg)") && cmdline.Contains("rawvideo\0pipe:1", StringComparison.Ordinal)
                        && sources.Any(src => cmdline.Contains(src, StringComparison.Ordinal));
                }
                catch (IOException) { return false; }
            }).ToList();
    }

    private static async Task ServeGarbageAsync(TcpListener listener, CancellationToken ct)
    {
        var rng = new Random(7);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(ct);
                var junk = new byte[4096];
                rng.NextBytes(junk);
                try { await client.GetStream().WriteAsync(junk, ct); } catch (IOException) { }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
