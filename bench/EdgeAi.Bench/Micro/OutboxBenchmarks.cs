using BenchmarkDotNet.Attributes;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// The worker's durable outbox (SQLite WAL, synchronous=FULL): enqueue an event (returns once fsync'd), read it back as
/// the publisher does, acknowledge it (delete, another fsync). <see cref="OneEvent"/> is one camera alone;
/// <see cref="GroupOf64"/> is 64 cameras emitting at once, committed together (group commit), reported per event.
/// The file lives in the system temp folder, so the fsync cost is that disk's.
/// </summary>
[MemoryDiagnoser]
public class OutboxBenchmarks
{
    private string _dir = "";
    private EventOutbox _outbox = null!;
    private EdgeEvent _event = null!;
    private long _after;
    private readonly Task<EdgeEvent>[] _pending = new Task<EdgeEvent>[64];

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"edgeai-bench-outbox-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        _outbox = EventOutbox.Open(new OutboxOptions { Path = Path.Combine(_dir, "outbox.db") });
        _event = SampleEvent.Create(0) with { PublishTime = null, Evidence = [] };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _outbox.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task OneEvent()
    {
        await _outbox.EnqueueAsync(_event, []);
        await DrainAsync(1);
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task GroupOf64()
    {
        for (var i = 0; i < _pending.Length; i++) _pending[i] = _outbox.EnqueueAsync(_event, []);
        await Task.WhenAll(_pending);
        await DrainAsync(_pending.Length);
    }

    private async Task DrainAsync(int expected)
    {
        var batch = await _outbox.PeekBatchAsync(_after, expected);
        if (batch.Count != expected) throw new InvalidOperationException($"outbox returned {batch.Count} events, expected {expected}");
        var ids = new long[batch.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = batch[i].RowId;
        _after = ids[^1];
        await _outbox.AcknowledgeAsync(ids);
    }
}
