using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Hosting;
using EdgeAi.Central.Storage;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>One central-ingest run, as written to latest.json.</summary>
internal sealed record CentralRun(string Target, int Published, long Received, long Stored, long DeadLetters, long Lost,
    double Seconds, double EventsPerSecond, double PublisherEventsPerSecond, int? ReceiveMaximum = null, int? Connections = null,
    long? Incidents = null, long? Cases = null, double? JitMs = null);

/// <summary>
/// Central ingest: a load generator (one device connection, QoS 1, up to 1 000 in flight) publishes the same
/// pre-serialised valid events through a real mosquitto (repo config: authentication + ACL) into (a) a bare subscriber that
/// only counts messages, (b) Central in this process (its real consumer: shared subscription → queue → parse + validate →
/// correlate → store → PUBACK only after the commit, plus the case workflow against the stand-in platform) on SQLite, once
/// more on SQLite with a receive maximum of 1 000 per connection instead of the default 100 (what a wider window earns),
/// and (c) on PostgreSQL (a throw-away
/// server, as the tests start it). Rate = events / (first publish → last event received or stored). Each target gets a
/// fresh broker and database. Lost = published and acknowledged by the broker, but not stored (must be 0).
/// </summary>
internal static class CentralIngest
{
    private const string Device = "edge-load";

    /// <param name="consumer">Central's consumer settings (connections, receive_maximum); the defaults unless the bench is told otherwise.</param>
    /// <param name="warmup">Events published and stored before the timed ones (counted for losses, not timed).</param>
    public static async Task<IReadOnlyList<CentralRun>> RunAsync(int events, int warmup, bool postgres, ConsumerSettings consumer)
    {
        // The first events of each run only warm up (JIT tiering, connection pools, SQLite page cache); they are stored and
        // counted for losses but not timed. A profile of a cold 20 000-event run spent 22 % of Central's CPU in the JIT; with
        // 3 000 warm-up events the timed 30 000 still had 3.4 s of JIT in 9 s, with 40 000 about 0.1 s (JitMs in the results).
        var all = Payloads(events + warmup);
        var payloads = (Warmup: all[..warmup], Timed: all[warmup..]);
        var runs = new List<CentralRun>();
        runs.Add(await BareAsync(payloads));
        Report(runs[^1]);
        runs.Add(await CentralAsync(payloads, "sqlite", null, consumer));
        Report(runs[^1]);
        if (consumer.ReceiveMaximum < 1000)
        {
            // The same with 1 000 unacknowledged messages per connection: what a wider window between receipt and commit earns.
            runs.Add(await CentralAsync(payloads, "sqlite-window-1000", null, consumer with { ReceiveMaximum = 1000 }));
            Report(runs[^1]);
        }
        if (postgres)
        {
            if (!PostgresServer.IsInstalled) Progress.Say("central: PostgreSQL 15 not installed; skipping (install the Debian package 'postgresql')");
            else
            {
                await using var pg = await PostgresServer.StartNewAsync();
                runs.Add(await CentralAsync(payloads, "postgres", pg.CreateDatabase("bench"), consumer));
                Report(runs[^1]);
            }
        }
        return runs;
    }

    private static void Report(CentralRun r) => Progress.Say(
        $"central: {r.Target,-8} {r.EventsPerSecond,7:0} events/s ({r.Published} published at {r.PublisherEventsPerSecond:0}/s, {r.Received} received, " +
        $"{r.Stored} stored, {r.DeadLetters} dead letters, {r.Lost} lost" + (r.Incidents is { } inc ? $", {inc} incidents, {r.Cases} cases" : "") + $") in {r.Seconds:0.0} s" +
        (r.ReceiveMaximum is null ? "" : $"; PUBACK after commit, {r.Connections} connections × receive maximum {r.ReceiveMaximum}") +
        (r.JitMs is { } jit ? $"; JIT {jit:0} ms while timed" : ""));

    /// <summary>Valid, varied v1 events from one device (episodes of five, four scenarios), sequence 1..n, serialised up front.</summary>
    private static byte[][] Payloads(int n)
    {
        var generator = new SyntheticEvents(Device, seed: 5);
        var now = DateTimeOffset.UtcNow;
        return Enumerable.Range(1, n).Select(i =>
        {
            var e = generator.Next().Event with { Sequence = i, PublishTime = now };
            if (EdgeEventValidator.Validate(e) is { } reason) throw new InvalidOperationException($"generated event {i} is invalid: {reason}");
            return JsonSerializer.SerializeToUtf8Bytes(e, EdgeAiJsonContext.Default.EdgeEvent);
        }).ToArray();
    }

    private static async Task<CentralRun> BareAsync((byte[][] Warmup, byte[][] Timed) load)
    {
        var payloads = load.Timed;
        Progress.Say($"central: bare subscriber, {load.Warmup.Length} warm-up + {payloads.Length} timed events");
        await using var broker = await MosquittoBroker.StartNewAsync(Device);
        await using var sub = new MqttClient(broker.ClientOptions("central"));
        long received = 0;
        long lastTicks = 0;
        sub.MessageReceived += _ =>
        {
            Interlocked.Increment(ref received);
            Volatile.Write(ref lastTicks, Stopwatch.GetTimestamp());
        };
        sub.Start();
        await sub.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await sub.SubscribeAsync($"$share/bench/{Topics.Root}/+/events", qos: 1).WaitAsync(TimeSpan.FromSeconds(30));
        await PublishAllAsync(broker, load.Warmup);
        await WaitAsync(() => Interlocked.Read(ref received) >= load.Warmup.Length, TimeSpan.FromSeconds(120));
        var before = Interlocked.Read(ref received);
        var (start, published) = await PublishAllAsync(broker, payloads);
        await WaitAsync(() => Interlocked.Read(ref received) - before >= payloads.Length, TimeSpan.FromSeconds(120));
        var seconds = Stopwatch.GetElapsedTime(start, Volatile.Read(ref lastTicks)).TotalSeconds;
        var n = Interlocked.Read(ref received) - before;
        var got = Interlocked.Read(ref received);
        return new CentralRun("bare", load.Warmup.Length + payloads.Length, got, got, 0, load.Warmup.Length + payloads.Length - got,
            Math.Round(seconds, 2), Math.Round(n / seconds), Math.Round(published));
    }

    private static async Task<CentralRun> CentralAsync((byte[][] Warmup, byte[][] Timed) load, string target, string? connectionString, ConsumerSettings consumer)
    {
        var payloads = load.Timed;
        var total = load.Warmup.Length + payloads.Length;
        Progress.Say($"central: Central on {target}, {load.Warmup.Length} warm-up + {payloads.Length} timed events");
        var dir = TestPaths.NewTempDir("bench-central");
        await using var broker = await MosquittoBroker.StartNewAsync(Device);
        var platformPort = FreePort.Get();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var callbackSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var options = new CentralOptions
        {
            InstanceId = "bench-" + Guid.NewGuid().ToString("N")[..8],
            LogLevel = EdgeAi.Observability.Logging.LoggingLevel.Warning,
            Mqtt = new MqttSettings { Host = broker.Host, Port = broker.Port, Username = "central", Password = broker.Passwords["central"] },
            Database = new DatabaseSettings { ConnectionString = connectionString ?? $"Data Source={Path.Combine(dir, "central.db")}" },
            Consumer = consumer,
            Api = new ApiSettings { Listen = $"http://127.0.0.1:{FreePort.Get()}", Token = "tok-" + secret },
            Platform = new PlatformSettings { Url = new Uri($"http://127.0.0.1:{platformPort}/"), Secret = secret, CallbackSecret = callbackSecret },
        };
        await using var platform = await TestPlatformServer.StartNewAsync(new TestPlatformOptions
        {
            Listen = $"http://127.0.0.1:{platformPort}",
            Secret = secret,
            CallbackSecret = callbackSecret,
            CallbackUrl = new Uri($"{options.Api.Listen}/api/v1/platform/callback"),
        });
        var app = CentralApp.Build(options, logging: l => l.MinimumLevel.Is(LogEventLevel.Warning));
        try
        {
            await app.StartAsync();
            using (var http = new HttpClient { BaseAddress = new Uri(options.Api.Listen) })
                await WaitAsync(() => http.GetAsync("/readyz").Result.IsSuccessStatusCode, TimeSpan.FromSeconds(60));
            var metrics = app.Services.GetRequiredService<CentralMetrics>();
            long Handled() => metrics.EventsAccepted + metrics.Duplicates + metrics.DeadLetters;
            await PublishAllAsync(broker, load.Warmup);
            await WaitAsync(() => Handled() >= load.Warmup.Length, TimeSpan.FromSeconds(300), pollMs: 5);
            var before = Handled();
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            long doneTicks = 0;
            var (start, published) = await PublishAllAsync(broker, payloads);
            await WaitAsync(() =>
            {
                if (Handled() - before < payloads.Length) return false;
                doneTicks = Stopwatch.GetTimestamp();
                return true;
            }, TimeSpan.FromSeconds(300), pollMs: 5);
            var seconds = Stopwatch.GetElapsedTime(start, doneTicks == 0 ? Stopwatch.GetTimestamp() : doneTicks).TotalSeconds;
            // JIT time inside the timed window (the whole process, load generator included): near 0 once warm.
            var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
            var counts = await app.Services.GetRequiredService<CentralStore>().CountAsync(CancellationToken.None);
            // Rate over the timed events; received, stored and lost count the warm-up too.
            var timedStored = counts.Events - before;
            return new CentralRun(target, total, metrics.Received, counts.Events, counts.DeadLetters, total - counts.Events,
                Math.Round(seconds, 2), Math.Round(timedStored / seconds), Math.Round(published),
                consumer.ReceiveMaximum, consumer.Connections,
                counts.Incidents, counts.Cases, Math.Round(jitMs));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Publishes every payload QoS 1 with up to 1 000 awaiting PUBACK; throws if the broker refuses one. Returns the start timestamp and the publisher's own rate.</summary>
    private static async Task<(long Start, double Rate)> PublishAllAsync(MosquittoBroker broker, byte[][] payloads)
    {
        await using var pub = new MqttClient(broker.ClientOptions(Device));
        pub.Start();
        await pub.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var topic = Topics.Events(Device);
        using var window = new SemaphoreSlim(1000);
        var acks = new Task[payloads.Length];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < payloads.Length; i++)
        {
            await window.WaitAsync();
            acks[i] = Ack(pub.PublishAsync(topic, payloads[i], qos: 1, contentType: "application/json"));
        }
        await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(300));
        return (start, payloads.Length / Stopwatch.GetElapsedTime(start).TotalSeconds);

        async Task Ack(Task<PublishResult> t)
        {
            try
            {
                var r = await t.ConfigureAwait(false);
                if (!r.IsSuccess) throw new InvalidOperationException($"broker refused an event: 0x{r.ReasonCode:x2} {r.Reason}");
            }
            finally
            {
                window.Release();
            }
        }
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout, int pollMs = 20)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > deadline) return;   // the caller reports what arrived; lost events show in the result
            await Task.Delay(pollMs);
        }
    }
}
