using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeAi.Messaging;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Publishing;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai simulate-events</c>: synthetic valid events through the real outbox and publisher, for fault tests (SIGKILL
/// mid-stream, broker outages) and for measuring delivery throughput. Prints one line per phase, so tests and people can
/// follow it: "outbox: …", "enqueued: …", "drained: …" and, with --offline, "on disk: …".
/// </summary>
internal static class SimulateEventsCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--broker-host") { Description = "Broker host.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--broker-port") { Description = "Broker port.", DefaultValueFactory = _ => 1883 };
        var device = new Option<string>("--device-id") { Description = "Device id (topic segment, MQTT user name by default).", Required = true };
        var username = new Option<string?>("--username") { Description = "MQTT user name; default the device id." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File holding the MQTT password (never pass it on the command line)." };
        var clientId = new Option<string?>("--client-id") { Description = "MQTT client id; default edgeai-{device-id} (stable: persistent session)." };
        var outbox = new Option<FileInfo>("--outbox") { Description = "Outbox SQLite file (created if missing; reused across runs).", Required = true };
        var rate = new Option<double>("--rate") { Description = "Events per second to produce; 0 = as fast as the outbox takes them.", DefaultValueFactory = _ => 100 };
        var count = new Option<int>("--count") { Description = "Events to produce.", DefaultValueFactory = _ => 1000 };
        var evidenceBytes = new Option<int>("--evidence-bytes") { Description = "Size of a synthetic evidence blob on 4 of 5 events; 0 = none.", DefaultValueFactory = _ => 0 };
        var producers = new Option<int>("--producers") { Description = "Concurrent producers (several cameras emitting at once).", DefaultValueFactory = _ => 4 };
        var window = new Option<int>("--window") { Description = "Events in flight awaiting PUBACK.", DefaultValueFactory = _ => 64 };
        var maxBytes = new Option<long>("--outbox-max-bytes") { Description = "Outbox byte budget.", DefaultValueFactory = _ => 1L << 30 };
        var drainTimeout = new Option<double>("--drain-timeout") { Description = "Seconds to wait for every event to be acknowledged after producing; 0 = do not wait.", DefaultValueFactory = _ => 300 };
        var offline = new Option<bool>("--offline") { Description = "Do not connect: only fill the outbox and report its size on disk per event." };
        var tlsCa = new Option<FileInfo?>("--tls-ca") { Description = "CA certificate (PEM): connect with TLS." };
        var tlsCert = new Option<FileInfo?>("--tls-cert") { Description = "Client certificate (PEM)." };
        var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "Client private key (PEM)." };

        var command = new Command("simulate-events", "Produce synthetic events through the real outbox and MQTT publisher (load generator and fault-test harness).");
        foreach (var o in new Option[] { host, port, device, username, passwordFile, clientId, outbox, rate, count, evidenceBytes, producers, window, maxBytes, drainTimeout, offline, tlsCa, tlsCert, tlsKey })
            command.Options.Add(o);

        command.SetAction(async (parse, ct) =>
        {
            var deviceId = parse.GetValue(device)!;
            var ca = parse.GetValue(tlsCa);
            var mqtt = new MqttClientOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ClientId = parse.GetValue(clientId) ?? $"edgeai-{deviceId}",
                Username = parse.GetValue(username) ?? deviceId,
                Password = parse.GetValue(passwordFile) is { } pf ? File.ReadAllText(pf.FullName).TrimEnd('\r', '\n') : null,
                Tls = ca is null ? null : new MqttTlsOptions(ca.FullName, parse.GetValue(tlsCert)?.FullName, parse.GetValue(tlsKey)?.FullName),
                ReconnectMinDelay = TimeSpan.FromMilliseconds(250),
                ReconnectMaxDelay = TimeSpan.FromSeconds(2),
            };
            var run = new Run(
                new DeliveryOptions { DeviceId = deviceId, Mqtt = mqtt, InFlightWindow = parse.GetValue(window) },
                new OutboxOptions { Path = parse.GetValue(outbox)!.FullName, MaxBytes = parse.GetValue(maxBytes) },
                parse.GetValue(rate), parse.GetValue(count), parse.GetValue(evidenceBytes), Math.Max(1, parse.GetValue(producers)),
                TimeSpan.FromSeconds(parse.GetValue(drainTimeout)), parse.GetValue(offline));
            return await run.ExecuteAsync(ct);
        });
        return command;
    }

    private sealed record Run(DeliveryOptions Delivery, OutboxOptions Outbox, double Rate, int Count, int EvidenceBytes, int Producers,
        TimeSpan DrainTimeout, bool Offline)
    {
        public async Task<int> ExecuteAsync(CancellationToken ct)
        {
            using var loggers = LoggerFactory.Create(b => b
                .SetMinimumLevel(LogLevel.Information)
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }));
            await using var outbox = EventOutbox.Open(Outbox, loggers.CreateLogger<EventOutbox>());
            var pending = outbox.Depth.Events;
            Print($"outbox: {Outbox.Path} holds {pending} events; last sequence {outbox.LastSequence(Delivery.DeviceId)}");

            await using var delivery = Offline ? null : new DeliveryService(Delivery, outbox, loggers);
            if (delivery is not null) await delivery.StartAsync(ct);

            var generator = new SyntheticEvents(Delivery.DeviceId, EvidenceBytes, seed: Environment.ProcessId);
            var gate = new Lock();
            long first = 0, last = 0;
            var next = -1;
            var clock = Stopwatch.StartNew();
            using var progress = new Timer(_ => Print(
                $"progress: enqueued {Math.Max(0, Volatile.Read(ref next) + 1)} acknowledged {delivery?.Publisher.Acknowledged ?? 0} outbox {outbox.Depth.Events}"),
                null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

            async Task Produce()
            {
                while (true)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= Count) return;
                    if (Rate > 0)
                    {
                        var due = TimeSpan.FromSeconds(i / Rate) - clock.Elapsed;
                        if (due > TimeSpan.Zero) await Task.Delay(due, ct);
                    }
                    (Models.Events.EdgeEvent Event, IReadOnlyList<EvidenceBlob> Evidence) item;
                    lock (gate) item = generator.Next();
                    var stored = await outbox.EnqueueAsync(item.Event, item.Evidence, ct);
                    lock (gate)
                    {
                        if (first == 0 || stored.Sequence < first) first = stored.Sequence;
                        last = Math.Max(last, stored.Sequence);
                    }
                }
            }

            try
            {
                await Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Run(Produce, ct)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 130;
            }
            var produced = clock.Elapsed;
            Print(string.Create(CultureInfo.InvariantCulture,
                $"enqueued: {Count} events (sequence {first}..{last}) in {produced.TotalSeconds:F2} s: {Count / produced.TotalSeconds:F0} events/s"));

            if (Offline)
            {
                await outbox.DisposeAsync();   // checkpoints the WAL into the database file
                var bytes = new FileInfo(Outbox.Path).Length;
                var rows = pending + Count;
                Print(string.Create(CultureInfo.InvariantCulture, $"on disk: {bytes} bytes for {rows} events: {(double)bytes / rows:F0} bytes/event"));
                return 0;
            }

            var deadline = clock.Elapsed + DrainTimeout;
            while (outbox.Depth.Events > 0 && clock.Elapsed < deadline && DrainTimeout > TimeSpan.Zero)
                await Task.Delay(20, ct);
            var drained = outbox.Depth.Events == 0;
            var acked = delivery!.Publisher.Acknowledged;
            Print(string.Create(CultureInfo.InvariantCulture,
                $"drained: {(drained ? "yes" : "no")}; {acked} events acknowledged in {clock.Elapsed.TotalSeconds:F2} s: {acked / clock.Elapsed.TotalSeconds:F0} events/s end to end; {outbox.Depth.Events} left"));
            return drained || DrainTimeout == TimeSpan.Zero ? 0 : 1;
        }

        private static void Print(string line)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
