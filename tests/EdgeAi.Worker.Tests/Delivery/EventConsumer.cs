using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Delivery;

/// <summary>
/// Central's side of a delivery test: a persistent-session subscriber (as "central") that parses every event with the real
/// parser and records arrivals in order, so tests can check sequences for gaps, order and duplicates by event id.
/// </summary>
internal sealed class EventConsumer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<EdgeEvent> _arrivals = [];
    private readonly List<MqttMessage> _other = [];
    private readonly List<string> _rejected = [];

    private EventConsumer(MqttClient client) => Client = client;

    public MqttClient Client { get; }

    /// <summary>Connects as "central" with a stable client id and clean start off, and subscribes to <paramref name="filter"/>.</summary>
    public static async Task<EventConsumer> StartAsync(MosquittoBroker broker, string filter = "edgeai/v1/+/#")
    {
        var client = new MqttClient(broker.ClientOptions("central", $"central-test-{Guid.NewGuid():N}"[..24]));
        var consumer = new EventConsumer(client);
        client.MessageReceived += consumer.OnMessage;
        client.Start();
        await client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await client.SubscribeAsync(filter).WaitAsync(TimeSpan.FromSeconds(30));
        return consumer;
    }

    private void OnMessage(MqttMessage m)
    {
        lock (_lock)
        {
            if (!m.Topic.EndsWith("/events", StringComparison.Ordinal))
            {
                _other.Add(m);
                return;
            }
            if (EdgeEventParser.TryParse(m.Payload, out var evt, out var reason)) _arrivals.Add(evt);
            else _rejected.Add(reason);
        }
    }

    /// <summary>Every event received, duplicates included, in arrival order.</summary>
    public IReadOnlyList<EdgeEvent> Arrivals { get { lock (_lock) return [.. _arrivals]; } }

    /// <summary>Non-event messages (evidence, status, health, replies).</summary>
    public IReadOnlyList<MqttMessage> Other { get { lock (_lock) return [.. _other]; } }

    public IReadOnlyList<string> Rejected { get { lock (_lock) return [.. _rejected]; } }

    public int Distinct { get { lock (_lock) return _arrivals.Select(e => e.EventId).Distinct().Count(); } }

    public Task WaitForAsync(Func<EventConsumer, bool> condition, TimeSpan timeout, string what) => Eventually.UntilAsync(() => condition(this), timeout,
        () => $"{what} not reached within {timeout.TotalSeconds} s: {_arrivals.Count} arrivals, {Distinct} distinct, rejected: {string.Join("; ", Rejected.Take(3))}");

    public Task WaitForDistinctAsync(int count, TimeSpan timeout) => WaitForAsync(c => c.Distinct >= count, timeout, $"{count} distinct events");

    /// <summary>
    /// Asserts delivery was exactly-once in effect: first arrivals carry sequences 1..N without gap and in increasing order,
    /// and every repeat of a sequence is the same event (same event id), i.e. a QoS 1 redelivery the consumer can drop.
    /// </summary>
    public (int Distinct, int Duplicates) AssertCompleteInOrder(long expectedLast)
    {
        var arrivals = Arrivals;
        var firstBySequence = new Dictionary<long, Guid>();
        var order = new List<long>();
        var duplicates = 0;
        foreach (var e in arrivals)
        {
            if (firstBySequence.TryGetValue(e.Sequence, out var id))
            {
                Assert.True(id == e.EventId, $"sequence {e.Sequence} arrived with two different event ids");
                duplicates++;
                continue;
            }
            firstBySequence[e.Sequence] = e.EventId;
            order.Add(e.Sequence);
        }
        var missing = Enumerable.Range(1, (int)expectedLast).Select(i => (long)i).Where(s => !firstBySequence.ContainsKey(s)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} sequences missing, first: {string.Join(", ", missing.Take(10))}");
        Assert.Equal(expectedLast, order.Count);
        for (var i = 1; i < order.Count; i++)
            Assert.True(order[i] > order[i - 1], $"out of order: sequence {order[i]} arrived after {order[i - 1]}");
        Assert.Equal(firstBySequence.Count, arrivals.Select(e => e.EventId).Distinct().Count());
        return (order.Count, duplicates);
    }

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}
