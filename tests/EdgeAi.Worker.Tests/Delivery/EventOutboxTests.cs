using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Cli;
using EdgeAi.Worker.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EdgeAi.Worker.Tests.Delivery;

public sealed class EventOutboxTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("outbox");
    private readonly CapturingLoggerProvider _logs = new();

    private string DbPath => Path.Combine(_dir, "outbox.db");

    private EventOutbox Open(long maxBytes = 1L << 30, TimeSpan? maxAge = null, TimeProvider? time = null) =>
        EventOutbox.Open(new OutboxOptions { Path = DbPath, MaxBytes = maxBytes, MaxAge = maxAge ?? TimeSpan.FromDays(7) },
            _logs.CreateFactory().CreateLogger<EventOutbox>(), time);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task EnqueueAsync_AssignsConsecutiveSequencesPerDevice()
    {
        await using var outbox = Open();
        var a = new SyntheticEvents("edge-01");
        var b = new SyntheticEvents("edge-02");

        var s1 = await outbox.EnqueueAsync(a.Next().Event, []);
        var s2 = await outbox.EnqueueAsync(b.Next().Event, []);
        var s3 = await outbox.EnqueueAsync(a.Next().Event, []);

        Assert.Equal((1L, 1L, 2L), (s1.Sequence, s2.Sequence, s3.Sequence));
        Assert.Null(EdgeEventValidator.Validate(s3));
        Assert.Equal(2, outbox.LastSequence("edge-01"));
        Assert.Equal(3, outbox.Depth.Events);
    }

    [Fact]
    public async Task EnqueueAsync_ConcurrentProducers_UniqueGaplessSequencesInRowOrder()
    {
        await using var outbox = Open();
        var gen = new SyntheticEvents("edge-01");
        var events = Enumerable.Range(0, 400).Select(_ => gen.Next().Event).ToList();

        var stored = await Task.WhenAll(events.Select(e => Task.Run(() => outbox.EnqueueAsync(e, []))));
        var peeked = await outbox.PeekBatchAsync(0, 1000);

        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), stored.Select(s => s.Sequence).Order());
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), peeked.Select(p => p.Sequence));
        Assert.True(peeked.Zip(peeked.Skip(1)).All(p => p.First.RowId < p.Second.RowId));
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsRowsAndContinuesSequence()
    {
        var gen = new SyntheticEvents("edge-01", evidenceBytes: 1000);
        await using (var outbox = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                var (evt, evidence) = gen.Next();
                await outbox.EnqueueAsync(evt, evidence);
            }
            var first = await outbox.PeekBatchAsync(0, 1);
            await outbox.AcknowledgeAsync([first[0].RowId]);
        }

        await using var reopened = Open();
        var next = await reopened.EnqueueAsync(gen.Next().Event, []);
        var rows = await reopened.PeekBatchAsync(0, 10);

        Assert.Equal(4, next.Sequence);
        Assert.Equal([2L, 3L, 4L], rows.Select(r => r.Sequence));
        Assert.Single(rows[0].Evidence);
        Assert.Equal(1000, rows[0].Evidence[0].Data.Length);
        Assert.Equal(3, reopened.Depth.Events);
        Assert.Equal(2, reopened.Depth.EvidenceBlobs);
    }

    [Fact]
    public async Task AcknowledgeAsync_DeletesEventAndItsEvidenceOnly()
    {
        await using var outbox = Open();
        var gen = new SyntheticEvents("edge-01", evidenceBytes: 500);
        for (var i = 0; i < 3; i++)
        {
            var (evt, evidence) = gen.Next();
            await outbox.EnqueueAsync(evt, evidence);
        }
        var rows = await outbox.PeekBatchAsync(0, 10);
        var before = outbox.Depth;

        await outbox.AcknowledgeAsync([rows[1].RowId, 99999]);   // an unknown id (e.g. already shed) is ignored
        var after = await outbox.PeekBatchAsync(0, 10);

        Assert.Equal([1L, 3L], after.Select(r => r.Sequence));
        Assert.Equal(2, outbox.Depth.Events);
        Assert.Equal(2, outbox.Depth.EvidenceBlobs);
        Assert.Equal(before.Bytes - rows[1].Payload.Length - 500, outbox.Depth.Bytes);
        Assert.Equal(rows[1].EventId, rows[1].EventId);
        Assert.Equal(0, outbox.Depth.ShedEvents + outbox.Depth.ShedEvidence);
    }

    [Fact]
    public async Task PeekBatchAsync_StoredPayload_ParsesWithSequenceAndEvidenceLinked()
    {
        await using var outbox = Open();
        var (evt, evidence) = new SyntheticEvents("edge-01", evidenceBytes: 64).Next();
        await outbox.EnqueueAsync(evt, evidence);

        var row = Assert.Single(await outbox.PeekBatchAsync(0, 10));

        Assert.True(EdgeEventParser.TryParse(row.Payload, out var parsed, out var reason), reason);
        Assert.Equal(1, parsed.Sequence);
        Assert.Equal(evt.EventId, row.EventId);
        Assert.Equal(evidence[0].Ref.Id, Assert.Single(row.Evidence).EvidenceId);
        Assert.Equal(evidence[0].Data.ToArray(), row.Evidence[0].Data);
        Assert.Equal("image/jpeg", row.Evidence[0].ContentType);
    }

    [Fact]
    public async Task Overflow_TinyByteBudget_ShedsEvidenceBeforeEventsCountedAndLoggedOnce()
    {
        // Budget: room for every event JSON but not for their 20 KB blobs.
        await using var outbox = Open(maxBytes: 64 * 1024);
        var gen = new SyntheticEvents("edge-01", evidenceBytes: 20_000);
        var blobs = 0;
        for (var i = 0; i < 10; i++)
        {
            var (evt, evidence) = gen.Next();
            blobs += evidence.Count;
            await outbox.EnqueueAsync(evt, evidence);
        }

        var depth = outbox.Depth;
        var rows = await outbox.PeekBatchAsync(0, 100);

        Assert.Equal(10, depth.Events);                 // no event shed: evidence went first
        Assert.Equal(0, depth.ShedEvents);
        Assert.True(depth.Bytes <= 64 * 1024, $"{depth.Bytes} bytes held");
        Assert.Equal(blobs - depth.EvidenceBlobs, depth.ShedEvidence);
        Assert.True(depth.ShedEvidence >= 5, $"only {depth.ShedEvidence} blobs shed");
        // Oldest first: every event that lost its blob is older than every event that kept one (each 5th event has none).
        var kept = rows.Where(r => r.Evidence.Count > 0).Select(r => r.Sequence).ToList();
        var lost = rows.Where(r => r.Evidence.Count == 0 && r.Sequence % 5 != 0).Select(r => r.Sequence).ToList();
        Assert.NotEmpty(kept);
        Assert.True(lost.Max() < kept.Min(), $"lost {string.Join(",", lost)} kept {string.Join(",", kept)}");
        var warnings = _logs.Lines.Where(l => l.StartsWith("Warning EventOutbox: Outbox overflow", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(warnings);
        Assert.True(warnings.Count <= depth.ShedEvidence, "one warning per shedding pass, not per item");
        Assert.Contains("shed 1 evidence blobs and 0 events", warnings[0]);
    }

    [Fact]
    public async Task Overflow_StillOverBudgetWithoutEvidence_ShedsOldestEventsKeepsNewest()
    {
        await using var outbox = Open(maxBytes: 8 * 1024);
        var gen = new SyntheticEvents("edge-01", evidenceBytes: 3000);
        var events = new List<EdgeEvent>();
        for (var i = 0; i < 40; i++)
        {
            var (evt, evidence) = gen.Next();
            events.Add(await outbox.EnqueueAsync(evt, evidence));
        }

        var depth = outbox.Depth;
        var rows = await outbox.PeekBatchAsync(0, 100);

        Assert.True(depth.Bytes <= 8 * 1024, $"{depth.Bytes} bytes held");
        Assert.True(depth.ShedEvents > 0, "no event shed");
        Assert.Equal(40, depth.Events + depth.ShedEvents);
        Assert.Equal(40, rows[^1].Sequence);                                   // the newest survives
        Assert.Equal(Enumerable.Range(41 - rows.Count, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));   // oldest went
        Assert.Equal(0, depth.EvidenceBlobs);                                   // all evidence went before any event
        Assert.Contains(_logs.Lines, l => l.Contains("Outbox overflow (over byte budget", StringComparison.Ordinal) && !l.Contains("and 0 events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Overflow_OlderThanMaxAge_EventsAndEvidenceShed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        await using var outbox = Open(maxAge: TimeSpan.FromHours(1), time: time);
        var gen = new SyntheticEvents("edge-01", evidenceBytes: 100, time: time);
        for (var i = 0; i < 3; i++)
        {
            var (evt, evidence) = gen.Next();
            await outbox.EnqueueAsync(evt, evidence);
        }
        time.Advance(TimeSpan.FromMinutes(61));
        var fresh = await outbox.EnqueueAsync(gen.Next().Event, []);

        var rows = await outbox.PeekBatchAsync(0, 10);

        Assert.Equal([fresh.Sequence], rows.Select(r => r.Sequence));
        Assert.Equal(3, outbox.Depth.ShedEvents);
        Assert.Equal(3, outbox.Depth.ShedEvidence);
        Assert.Equal(time.GetUtcNow(), outbox.Depth.OldestEnqueuedAt);
        Assert.Contains(_logs.Lines, l => l.Contains("Outbox overflow (older than max age", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnqueueAsync_InvalidEvent_RejectedWithValidatorReason()
    {
        await using var outbox = Open();
        var evt = new SyntheticEvents("edge-01").Next().Event with { Scenario = "parking" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(evt, []));

        Assert.StartsWith("invalid event: scenario 'parking' is not one of", ex.Message);
        Assert.Equal(0, outbox.Depth.Events);
        Assert.Equal(0, outbox.LastSequence("edge-01"));
    }

    [Fact]
    public async Task EnqueueAsync_UnreferencedEvidence_Rejected()
    {
        await using var outbox = Open();
        var evt = new SyntheticEvents("edge-01").Next().Event;

        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(evt, [EvidenceBlob.Create("stray", new byte[10])]));
    }

    [Fact]
    public async Task WaitForRowsAfterAsync_CompletesOnCommit()
    {
        await using var outbox = Open();
        var wait = outbox.WaitForRowsAfterAsync(outbox.LastRowId, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        await outbox.EnqueueAsync(new SyntheticEvents("edge-01").Next().Event, []);

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
