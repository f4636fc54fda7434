using EdgeAi.Testing;

namespace EdgeAi.EndToEnd.Tests;

/// <summary>
/// One camera drops and comes back every 10 s for 5 minutes (a loose cable, a rebooting encoder). The worker keeps
/// reconnecting it without growing: its memory and thread count stay flat, and the other cameras keep analysing.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class CameraFlappingTests
{
    private static readonly TimeSpan Flapping = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan HalfPeriod = TimeSpan.FromSeconds(5);

    private sealed record Sample(TimeSpan At, long RssKb, int Threads, Dictionary<string, long> Analysed);

    [Fact]
    public async Task FlappingCamera_FiveMinutes_WorkerMemoryAndThreadsFlat_OtherCamerasUnaffected()
    {
        await using var system = await EdgeSystem.StartAsync(separateMount: "litter");
        var steady = new[] { "cam-crowding", "cam-illegal-fishing", "cam-road-collapse" };
        await Eventually.UntilAsync(async () => (await system.CameraHealthAsync()).Count == 4, TimeSpan.FromMinutes(2), system.Describe);

        var samples = new List<Sample>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var flaps = 0;
        while (clock.Elapsed < Flapping)
        {
            await system.SeparateCamera!.StopAsync();
            await Task.Delay(HalfPeriod);
            await system.SeparateCamera.StartAsync();
            await Task.Delay(HalfPeriod);
            flaps++;
            Assert.False(system.Worker.HasExited, $"worker exited\n{system.Describe()}");
            var health = await system.CameraHealthAsync();
            samples.Add(new Sample(clock.Elapsed, ProcStatus(system.Worker.Pid, "VmRSS"), (int)ProcStatus(system.Worker.Pid, "Threads"),
                steady.ToDictionary(id => id, id => health[id].GetProperty("frames_analysed").GetInt64())));
        }

        var report = string.Join("\n", samples.Select(s => $"{s.At:mm\\:ss} rss={s.RssKb / 1024} MiB threads={s.Threads} analysed={string.Join(",", s.Analysed.Values)}"));
        // Warm-up: the first minute (JIT, ONNX Runtime arenas, pools). After it, growth must stay small.
        var warm = samples.Where(s => s.At > TimeSpan.FromMinutes(1)).ToList();
        var firstRss = warm.Take(3).Average(s => s.RssKb);
        var lastRss = warm.TakeLast(3).Average(s => s.RssKb);
        // Bound set from measurement: 175 -> 196 MiB (+12%) over 4 min in CI-like runs, with the steady cameras producing
        // events and evidence meanwhile; a leak per reconnect (a frame buffer, a pipe, an ffmpeg) would exceed it.
        Assert.True(lastRss < firstRss * 1.25, $"RSS grew {100 * (lastRss / firstRss - 1):0.0}% while the camera flapped {flaps} times\n{report}");
        Assert.True(warm.Max(s => s.Threads) <= warm.First().Threads + 4, $"thread count grew\n{report}");

        // The other cameras kept analysing through every 30 s stretch (health is published every 10 s).
        foreach (var id in steady)
            for (var i = 3; i < samples.Count; i += 3)
                Assert.True(samples[i].Analysed[id] > samples[i - 3].Analysed[id], $"{id} stopped analysing around {samples[i].At}\n{report}");

        // The flapping camera kept being retried. Its backoff grows (exponential from ~1 s to the cap) because 5 s up is never
        // the healthy period that resets it, so it reconnects in some of the up windows, not all.
        var flapping = (await system.CameraHealthAsync())["cam-litter"];
        Assert.True(flapping.GetProperty("reconnects").GetInt64() >= 3, $"reconnects {flapping}\n{report}");
    }

    /// <summary>A numeric field of /proc/PID/status (kB for memory fields).</summary>
    private static long ProcStatus(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
