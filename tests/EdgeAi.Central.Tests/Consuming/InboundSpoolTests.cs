using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Messaging;
using EdgeAi.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Central.Tests.Consuming;

/// <summary>The inbound journal on a real file system: what a crash leaves is recovered in order, what was stored is not.</summary>
public sealed class InboundSpoolTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("spool");

    private InboundSpool Open(SpoolSyncMode sync = SpoolSyncMode.Write) =>
        new(TestOptions.For("Data Source=unused.db") with { Consumer = new ConsumerSettings { SpoolDirectory = _dir, SpoolSync = sync } }, NullLogger<InboundSpool>.Instance);

    private static MqttMessage Message(int i) => new($"edgeai/v1/edge-01/events", [(byte)i, 1, 2, 3], 1, false, i % 2 == 0 ? "application/json" : null, i % 3 == 0 ? [9, 9] : null);

    [Fact]
    public void Recover_AfterCrash_UncommittedMessagesInOrderWithTheirFields()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var keys = new List<Guid>();
        using (var spool = Open(SpoolSyncMode.Fsync))
        {
            Assert.Empty(spool.Recover());
            for (var i = 0; i < 4; i++) keys.Add(spool.Append(Message(i), at.AddSeconds(i)).Key);
            spool.Committed(4);   // 1..4 stored: their segment is deleted
            for (var i = 4; i < 10; i++) keys.Add(spool.Append(Message(i), at.AddSeconds(i)).Key);
            spool.Committed(7);   // 5..7 stored, 8..10 not: a crash now
        }

        // A segment is replayed whole (5..7 again: the store de-duplicates them by event id / evidence id / message key).

        using var again = Open();
        var recovered = again.Recover();
        Assert.Equal([5L, 6, 7, 8, 9, 10], recovered.Select(r => r.Sequence));
        for (var i = 4; i < 10; i++)
        {
            var r = recovered[i - 4];
            Assert.Equal(Message(i).Payload, r.Message.Payload);
            Assert.Equal(Message(i).ContentType, r.Message.ContentType);
            Assert.Equal(Message(i).CorrelationData, r.Message.CorrelationData);
            Assert.Equal(at.AddSeconds(i), r.ReceivedAt);
            Assert.Equal(keys[i], r.Key);
        }
        Assert.Equal(11, again.Append(Message(11), at).Sequence);   // numbering continues
        Assert.Equal(7, again.Pending);
    }

    [Fact]
    public void WaitDurable_ConcurrentConnections_ShareFsyncsAndEveryRecordIsRecovered()
    {
        // Eight network threads, as eight consumer connections. In each round every thread journals a message, and once
        // all eight are journaled (barrier) they all wait for durability at once: the first to lead a sync covers all
        // eight records, so each round costs exactly one fsync. (Letting the threads race freely made the grouping
        // depend on scheduling: on a fast disk with two cores they could run one after another, one fsync each.)
        const int threads = 8, rounds = 50;
        long syncs;
        using (var spool = Open(SpoolSyncMode.Fsync))
        {
            spool.Recover();
            var gate = new object();
            using var journaled = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                for (var i = 0; i < rounds; i++)
                {
                    InboundMessage item;
                    lock (gate) item = spool.Append(Message(t * rounds + i), DateTimeOffset.UtcNow);   // as InboundQueue: journal order = queue order
                    journaled.SignalAndWait();
                    spool.WaitDurable(item.Sequence);
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            syncs = spool.Syncs;
        }

        Assert.Equal(rounds, syncs);   // one fsync per round of eight records (group commit)
        using var again = Open();
        Assert.Equal(Enumerable.Range(1, threads * rounds).Select(i => (long)i), again.Recover().Select(r => r.Sequence));
    }

    [Fact]
    public void WaitDurable_WriteMode_NeverSyncs()
    {
        using var spool = Open(SpoolSyncMode.Write);
        spool.Recover();
        spool.WaitDurable(spool.Append(Message(1), DateTimeOffset.UtcNow).Sequence);
        Assert.Equal(0, spool.Syncs);
    }

    [Fact]
    public void Committed_EverythingStored_NoSegmentLeftAndNothingRecovered()
    {
        using (var spool = Open())
        {
            spool.Recover();
            for (var i = 0; i < 5; i++) spool.Append(Message(i), DateTimeOffset.UtcNow);
            spool.Committed(5);
            Assert.Equal(0, spool.Pending);
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.spool"));
        using var again = Open();
        Assert.Empty(again.Recover());
    }

    [Fact]
    public void Recover_TornLastRecord_CompleteOnesKeptTornOneSkipped()
    {
        using (var spool = Open())
        {
            spool.Recover();
            for (var i = 0; i < 3; i++) spool.Append(Message(i), DateTimeOffset.UtcNow);
        }
        var file = Assert.Single(Directory.GetFiles(_dir, "*.spool"));
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^5]);   // power loss in the middle of the last write

        using var again = Open();
        Assert.Equal([1L, 2], again.Recover().Select(r => r.Sequence));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
