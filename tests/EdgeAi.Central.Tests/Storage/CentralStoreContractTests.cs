using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Central.Tests.Storage;

/// <summary>
/// What every case store must do, run against SQLite and PostgreSQL. "Instances" here are separate stores with
/// their own connection pools and in-memory indexes on one database, as two Central processes would be.
/// </summary>
public abstract class CentralStoreContractTests : IAsyncLifetime
{
    private readonly List<CentralStore> _stores = [];
    private string _connectionString = "";

    protected abstract Task<string> CreateDatabaseAsync();

    protected virtual Task DropAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _connectionString = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var s in _stores) await s.DisposeAsync();
        await DropAsync();
    }

    private async Task<CentralStore> StoreAsync(bool migrate = true)
    {
        var s = new CentralStore(CentralStore.CreateDialect(new DatabaseSettings { ConnectionString = _connectionString }), NullLogger<CentralStore>.Instance, TimeProvider.System);
        _stores.Add(s);
        if (migrate) await s.MigrateAsync(default);
        return s;
    }

    private static IncidentService Incidents(CentralStore store) =>
        new(store, TestOptions.For("unused"), TimeProvider.System, new OutboxSignal(), new CentralMetrics(), NullLogger<IncidentService>.Instance);

    private static ReceivedEvent Received(EdgeEvent e) => new(e, System.Text.Encoding.UTF8.GetString(TestEvents.Json(e)), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Migrate_TwiceAndConcurrently_AppliedOnce()
    {
        var a = await StoreAsync(migrate: false);
        var b = await StoreAsync(migrate: false);
        var applied = await Task.WhenAll(a.MigrateAsync(default), b.MigrateAsync(default));
        Assert.Equal(SchemaMigrator.Scripts(a.Dialect).Count, applied.Sum());
        Assert.Equal(0, await a.MigrateAsync(default));
        Assert.True(await a.PingAsync(default));
    }

    [Fact]
    public async Task Ingest_TwoInstancesSameEpisodesInParallel_OneIncidentAndCaseEach()
    {
        var first = await StoreAsync();
        var second = await StoreAsync();
        var (one, two) = (Incidents(first), Incidents(second));
        var rnd = new Random(7);
        var t0 = DateTimeOffset.UtcNow;
        var forOne = new List<ReceivedEvent>();
        var forTwo = new List<ReceivedEvent>();
        const int places = 40;
        for (var p = 0; p < places; p++)
        {
            // each place: camera A and, 15 m away, camera B, each with its own episode of 6 events
            var at = TestEvents.Offset(p * 1000, 0);
            foreach (var (device, cam, pos) in new[] { ("edge-01", "a" + p, at), ("edge-02", "b" + p, Geo.Offset(at.Lat, at.Lon, 15, 0)) })
            {
                var episode = UuidV7.New();
                for (var i = 0; i < 6; i++)
                {
                    var e = TestEvents.Make(device, cam, pos, Scenarios.Crowding, episode, i == 0 ? EventType.Started : EventType.Updated, p * 10 + i + 1, t0.AddSeconds(i));
                    (rnd.Next(2) == 0 ? forOne : forTwo).Add(Received(e));
                }
            }
        }
        async Task Feed(IncidentService s, List<ReceivedEvent> events)
        {
            foreach (var chunk in events.Chunk(7)) await s.IngestAsync(chunk, default);
        }
        await Task.WhenAll(Feed(one, forOne), Feed(two, forTwo));

        var counts = await first.CountAsync(default);
        Assert.Equal(forOne.Count + forTwo.Count, counts.Events);
        Assert.Equal(places, counts.Incidents);
        Assert.Equal(places, counts.Cases);
        Assert.Equal(places, counts.OutboxPending);
        foreach (var incident in await first.ListIncidentsAsync(null, null, 1000, default))
            Assert.Equal(2, (await first.GetIncidentCamerasAsync(incident.IncidentId, default)).Count);
    }

    [Fact]
    public async Task Ingest_SameEventTwice_StoredOnce()
    {
        var store = await StoreAsync();
        var s = Incidents(store);
        var e = Received(TestEvents.Make("edge-01", "c", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, DateTimeOffset.UtcNow));
        var r1 = await s.IngestAsync([e, e], default);
        var r2 = await Incidents(store).IngestAsync([e], default);
        Assert.Equal((1, 1, 1), (r1.Accepted, r1.Duplicates, r1.IncidentsOpened));
        Assert.Equal((0, 1), (r2.Accepted, r2.Duplicates));
    }

    [Fact]
    public async Task CaseLoop_HeldConfirmedDismissedOverdueEvaluated_FieldsAndQueries()
    {
        var store = await StoreAsync();
        var options = TestOptions.For("unused") with
        {
            Review = new ReviewSettings { Default = ReviewPolicies.Hold, Timeout = TimeSpan.FromMinutes(5) },
            Grids = new GridSettings { Map = EdgeAi.Central.Grids.GridMap.Parse(EdgeAi.Central.Tests.EndToEnd.CaseLoopEndToEndTests.TwoGrids()) },
            Routing = new RoutingSettings { Rules = [new RoutingRule(null, "G-A", null, null, "D-A")] },
        };
        var t0 = DateTimeOffset.UtcNow;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(t0);
        var metrics = new CentralMetrics();
        var incidents = new IncidentService(store, options, time, new OutboxSignal(), metrics, NullLogger<IncidentService>.Instance);
        await incidents.IngestAsync([
            Received(TestEvents.Make("edge-01", "a", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, t0)),
            Received(TestEvents.Make("edge-01", "b", TestEvents.Offset(3000, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 2, t0)),
        ], default);
        var held = await store.ListCasesInStatesAsync([CaseState.Held], 10, default);
        Assert.Equal(2, held.Count);
        var inGrid = held.Single(c => c.CameraId == "a");
        Assert.Equal(("G-A", "D-A", "hold"), (inGrid.GridCode, inGrid.Department, inGrid.ReviewPolicy));
        Assert.Equal(UnixMs.From(t0 + TimeSpan.FromMinutes(5)), inGrid.ReviewDueAt);
        Assert.Empty(await store.ListReviewDueAsync(t0 + TimeSpan.FromMinutes(4), 10, default));

        var review = new CaseReview(store, options, new OutboxSignal(), metrics, time, NullLogger<CaseReview>.Instance);
        Assert.Equal(ReviewResult.Applied, await review.ConfirmAsync(inGrid.CaseId, "op", "ok", new PlatformCategory("c", "s", "0001"), default));
        Assert.Equal(ReviewResult.NotPending, await review.DismissAsync(inGrid.CaseId, "op", "duplicate", null, default));
        var other = held.Single(c => c.CameraId == "b");
        Assert.Equal(ReviewResult.Applied, await review.DismissAsync(other.CaseId, "op", "not_in_scope", "a park, not a street", default));

        var confirmed = (await store.GetCaseAsync(inGrid.CaseId, default))!;
        Assert.Equal((CaseState.Detected, (ReviewOutcome?)ReviewOutcome.Confirmed, "op", "0001"), (confirmed.State, confirmed.ReviewOutcome, confirmed.ReviewedBy, confirmed.CategoryCode));
        Assert.Equal(UnixMs.From(t0 + options.Supervision.DeadlineFor(Scenarios.Litter)), confirmed.DeadlineAt);
        Assert.Single(await store.GetOutboxAsync(inGrid.CaseId, default));
        Assert.Empty(await store.GetOutboxAsync(other.CaseId, default));

        var counts = await store.CountReviewsAsync(default);
        Assert.Equal(2, counts.Count);
        Assert.Contains(counts, r => r is { Outcome: ReviewOutcome.Dismissed, Reason: "not_in_scope", CameraId: "b", Count: 1 });
        Assert.Equal(2, (await store.ListReviewedAsync(0, 10, default)).Count);

        // overdue: listed once, escalated once, never a dismissed case
        var late = t0 + options.Supervision.DeadlineFor(Scenarios.Litter) + TimeSpan.FromSeconds(1);
        Assert.Empty(await store.ListOverdueAsync(late - TimeSpan.FromSeconds(2), 10, default));
        Assert.Equal(inGrid.CaseId, Assert.Single(await store.ListOverdueAsync(late, 10, default)).CaseId);
        time.SetUtcNow(late);
        var supervision = new CaseSupervision(store, new OutboxSignal(), metrics, time, NullLogger<CaseSupervision>.Instance);
        Assert.Equal(1, await supervision.EscalateOverdueAsync(default));
        Assert.Equal(0, await supervision.EscalateOverdueAsync(default));
        var escalated = (await store.GetCaseAsync(inGrid.CaseId, default))!;
        Assert.Equal(UnixMs.From(late), escalated.EscalatedAt);
        Assert.StartsWith("overdue", escalated.Escalation);
        Assert.Equal(1, metrics.Escalations);

        // the platform's evaluation and closing time
        await store.UpdateCaseAsync(inGrid.CaseId, row => new CaseUpdate(CaseState.Closed, "platform", "done") { Evaluation = ("satisfied", "quick") }, late, default);
        var closed = (await store.GetCaseAsync(inGrid.CaseId, default))!;
        Assert.Equal(("satisfied", "quick", UnixMs.From(late)), (closed.Evaluation, closed.EvaluationNote, closed.ClosedAt));
        Assert.Empty(await store.ListOverdueAsync(late + TimeSpan.FromDays(1), 10, default));
    }

    [Fact]
    public async Task ClaimOutbox_TwoClaimers_EachItemToOneOwner()
    {
        var store = await StoreAsync();
        var other = await StoreAsync();
        var s = Incidents(store);
        var t0 = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 30).Select(i => Received(TestEvents.Make("edge-01", "c" + i, TestEvents.Offset(i * 5000, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, i + 1, t0))).ToList();
        await s.IngestAsync(events, default);
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? store : other).ClaimOutboxAsync("owner" + i, now, now.AddMinutes(1), 8, default)));
        var ids = claims.SelectMany(c => c.Select(x => x.Id)).ToList();
        Assert.Equal(30, ids.Count);
        Assert.Equal(30, ids.Distinct().Count());
        Assert.Empty(await store.ClaimOutboxAsync("late", now, now.AddMinutes(1), 8, default));
        Assert.Equal(30, (await store.ClaimOutboxAsync("after-lease", now.AddMinutes(2), now.AddMinutes(3), 100, default)).Count);
    }

    [Fact]
    public async Task UpdateCase_StateMachineTimelineAndCommandInOneTransaction()
    {
        var store = await StoreAsync();
        await Incidents(store).IngestAsync([Received(TestEvents.Make("edge-01", "c", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, DateTimeOffset.UtcNow))], default);
        var c = Assert.Single(await store.ListCasesAsync(null, 10, default));
        var now = DateTimeOffset.UtcNow;
        var (before, applied) = await store.UpdateCaseAsync(c.CaseId, _ => new CaseUpdate(CaseState.Filed, "platform", "filed as P-1") { PlatformCaseId = "P-1" }, now, default);
        Assert.Equal(CaseState.Detected, before!.State);
        Assert.NotNull(applied);
        var command = new CommandRow { CommandId = UuidV7.New().ToString(), CaseId = c.CaseId, IncidentId = c.IncidentId, DeviceId = "edge-01", CameraId = "c", RequestedAt = 1 };
        await store.UpdateCaseAsync(c.CaseId, _ => new CaseUpdate(CaseState.Resolved, "platform", null)
        {
            Command = command,
            Outbox = [new OutboxRow { CaseId = c.CaseId, Kind = OutboxKind.Verify, Payload = "{}", CreatedAt = 1, NextAttemptAt = 1 }],
        }, now, default);

        var found = await store.FindCaseAsync("P-1", default);
        Assert.Equal(CaseState.Resolved, found!.State);
        Assert.NotNull(found.FiledAt);
        Assert.Equal([CaseState.Detected, CaseState.Filed, CaseState.Resolved], (await store.GetTimelineAsync(c.CaseId, default)).Select(t => t.State));
        Assert.NotNull(await store.GetCommandAsync(command.CommandId, default));
        Assert.Equal([OutboxKind.File, OutboxKind.Verify], (await store.GetOutboxAsync(c.CaseId, default)).Select(o => o.Kind));
        Assert.True(await store.CompleteCommandAsync(command, VerificationResult.Cleared, null, _ => new CaseUpdate(CaseState.Verified, "verification", null), now, default));
        Assert.False(await store.CompleteCommandAsync(command, VerificationResult.Cleared, null, _ => new CaseUpdate(CaseState.Verified, "verification", null), now, default));
        Assert.Equal(VerificationResult.Cleared, (await store.GetCommandAsync(command.CommandId, default))!.Result);
        await using var db = await store.Dialect.OpenAsync(default);
        Assert.Equal(["cleared"], await Dapper.SqlMapper.QueryAsync<string>(db, "SELECT result FROM commands"));
    }

    [Fact]
    public async Task VocabularyColumns_HoldTheirWords_AndAnUnknownWordIsRefusedOnRead()
    {
        var store = await StoreAsync();
        await Incidents(store).IngestAsync([Received(TestEvents.Make("edge-01", "c", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, DateTimeOffset.UtcNow))], default);
        var c = Assert.Single(await store.ListCasesAsync(null, 10, default));
        await store.UpdateCaseAsync(c.CaseId, _ => new CaseUpdate(CaseState.FalsePositive, "platform", null)
        {
            Review = new CaseReviewRecord(ReviewOutcome.Confirmed, "op", null, null, null),
            Outbox = [new OutboxRow { CaseId = c.CaseId, Kind = OutboxKind.Notify, Payload = "{}", CreatedAt = 1, NextAttemptAt = 1 }],
        }, DateTimeOffset.UtcNow, default);

        // the database keeps the words it always held (no migration), whatever the enums' numbers
        await using (var db = await store.Dialect.OpenAsync(default))
        {
            async Task<List<string>> Texts(string sql) => (await Dapper.SqlMapper.QueryAsync<string>(db, sql, new { id = c.CaseId })).ToList();
            Assert.Equal(["false_positive"], await Texts("SELECT state FROM cases WHERE case_id = @id"));
            Assert.Equal(["confirmed"], await Texts("SELECT review_outcome FROM cases WHERE case_id = @id"));
            Assert.Equal(["detected", "false_positive"], await Texts("SELECT state FROM case_timeline WHERE case_id = @id ORDER BY id"));
            Assert.Equal(["file", "notify"], await Texts("SELECT kind FROM outbox WHERE case_id = @id ORDER BY id"));
            Assert.Equal(["open"], await Texts("SELECT i.state FROM incidents i JOIN cases c ON c.incident_id = i.incident_id WHERE c.case_id = @id"));
        }
        var stored = (await store.GetCaseAsync(c.CaseId, default))!;
        Assert.Equal((CaseState.FalsePositive, (ReviewOutcome?)ReviewOutcome.Confirmed), (stored.State, stored.ReviewOutcome));
        Assert.Equal([CaseState.Detected, CaseState.FalsePositive], (await store.GetTimelineAsync(c.CaseId, default)).Select(t => t.State));
        Assert.Equal([OutboxKind.File, OutboxKind.Notify], (await store.GetOutboxAsync(c.CaseId, default)).Select(o => o.Kind));
        Assert.Equal(1, (await store.CountAsync(default)).CasesByState[CaseState.FalsePositive]);

        await using (var db = await store.Dialect.OpenAsync(default))
            await Dapper.SqlMapper.ExecuteAsync(db, "UPDATE cases SET state = 'FalsePositive' WHERE case_id = @id", new { id = c.CaseId });

        // a word no version wrote (here the enum member's name) is an error naming the expected words, never a guess
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => store.GetCaseAsync(c.CaseId, default));
        var format = Assert.IsType<FormatException>(ex as FormatException ?? ex.InnerException);
        Assert.Contains("'FalsePositive' is not a CaseState", format.Message);
        Assert.Contains("false_positive", format.Message);
    }

    [Fact]
    public async Task ClaimOutbox_KindThisVersionDoesNotKnow_HandedOutWithItsWordAndTheOthersStillClaimed()
    {
        var store = await StoreAsync();
        await using (var db = await store.Dialect.OpenAsync(default))
        {
            await Dapper.SqlMapper.ExecuteAsync(db,
                "INSERT INTO outbox (case_id, kind, payload, attempts, created_at, next_attempt_at, dead) VALUES ('a', 'archive', NULL, 0, 1, 1, 0), ('b', 'file', NULL, 0, 1, 1, 0)");
        }
        var now = DateTimeOffset.UtcNow;
        var claimed = await store.ClaimOutboxAsync("owner", now, now.AddMinutes(1), 10, default);
        Assert.Equal(["archive", "file"], claimed.Select(o => o.KindText));
        Assert.False(Enum.IsDefined(claimed[0].Kind));
        Assert.Equal(OutboxKind.File, claimed[1].Kind);

        await store.ParkOutboxAsync(claimed[0], "unknown outbox kind 'archive'", null, now, default);
        var parked = Assert.Single(await store.GetOutboxAsync("a", default));
        Assert.Equal(("archive", 1L), (parked.KindText, parked.Dead));
    }

    [Fact]
    public async Task DeadLetterAndEvidence_StoredAndRead()
    {
        var store = await StoreAsync();
        await store.AddDeadLetterAsync(new DeadLetterRow { Topic = "edgeai/v1/x/events", DeviceId = "x", Reason = "payload is empty", Payload = [], PayloadBytes = 0, ReceivedAt = 1 }, default);
        var jpeg = TestEvents.Jpeg();
        var row = new EvidenceRow { EvidenceId = "e1", DeviceId = "x", ContentType = "image/jpeg", Bytes = jpeg.Length, Sha256 = "s", Data = jpeg, ReceivedAt = 1 };
        Assert.True(await store.AddEvidenceAsync(row, default));
        Assert.False(await store.AddEvidenceAsync(row, default));
        Assert.Equal("payload is empty", Assert.Single(await store.ListDeadLettersAsync(10, default)).Reason);
        Assert.Equal(jpeg, (await store.GetEvidenceAsync("e1", default))!.Data);
    }

    [Fact]
    public async Task PruneEvidence_OverAgeAndOverBytes_OldestDeletedNewestKept()
    {
        var store = await StoreAsync();
        var t0 = DateTimeOffset.UtcNow.AddHours(-10);
        for (var i = 0; i < 10; i++)
        {
            var data = TestEvents.Jpeg(1000);
            Assert.True(await store.AddEvidenceAsync(new EvidenceRow
            {
                EvidenceId = $"ev-{i}", DeviceId = "edge-01", ContentType = "image/jpeg", Bytes = data.Length, Sha256 = new string('a', 64), Data = data,
                ReceivedAt = UnixMs.From(t0.AddHours(i)),
            }, default));
        }

        Assert.Equal(2, await store.PruneEvidenceAsync(t0.AddHours(1.5), long.MaxValue, default));   // ev-0, ev-1: too old
        Assert.Equal(3, await store.PruneEvidenceAsync(t0, 5000, default));                          // 8 000 bytes left, keep 5 000
        Assert.Null(await store.GetEvidenceAsync("ev-4", default));
        for (var i = 5; i < 10; i++) Assert.NotNull(await store.GetEvidenceAsync($"ev-{i}", default));
        Assert.Equal(0, await store.PruneEvidenceAsync(t0, 5000, default));
    }

    [Fact]
    public async Task PruneDeadLetters_OverAgeAndOverRows_OldestDeleted_ReplayedKeyStoredOnce()
    {
        var store = await StoreAsync();
        var t0 = DateTimeOffset.UtcNow.AddHours(-10);
        var rows = Enumerable.Range(0, 10).Select(i => new DeadLetterRow
        {
            Topic = "edgeai/v1/edge-01/events", DeviceId = "edge-01", Reason = $"bad {i}", Payload = [1, 2, 3], PayloadBytes = 3,
            ReceivedAt = UnixMs.From(t0.AddHours(i)), MessageKey = Guid.CreateVersion7().ToString(),
        }).ToList();
        await store.AddDeadLettersAsync(rows, default);
        await store.AddDeadLettersAsync(rows.Take(3).ToList(), default);   // the same deliveries again: same keys, not stored again
        Assert.Equal(10, (await store.CountAsync(default)).DeadLetters);

        Assert.Equal(2, await store.PruneDeadLettersAsync(t0.AddHours(1.5), long.MaxValue, default));
        Assert.Equal(4, await store.PruneDeadLettersAsync(t0, 4, default));
        var left = await store.ListDeadLettersAsync(100, default);
        Assert.Equal(["bad 9", "bad 8", "bad 7", "bad 6"], left.Select(l => l.Reason));
    }

    [Fact]
    public async Task PruneEvidence_ClipsAndPicturesOwnBudgets_ReferencesKept()
    {
        var store = await StoreAsync();
        var t0 = DateTimeOffset.UtcNow.AddHours(-10);
        for (var i = 0; i < 4; i++)
        {
            var jpeg = TestEvents.Jpeg(1000);
            var clip = TestEvents.Mp4(10_000);
            await store.AddEvidenceAsync(new EvidenceRow { EvidenceId = $"pic-{i}", DeviceId = "edge-01", ContentType = "image/jpeg", Bytes = jpeg.Length, Sha256 = TestEvents.Sha256(jpeg), Data = jpeg, ReceivedAt = UnixMs.From(t0.AddHours(i)) }, default);
            await store.AddEvidenceAsync(new EvidenceRow { EvidenceId = $"clip-{i}", DeviceId = "edge-01", ContentType = "video/mp4", Bytes = clip.Length, Sha256 = TestEvents.Sha256(clip), Data = clip, ReceivedAt = UnixMs.From(t0.AddHours(i)) }, default);
        }
        await store.AddEvidenceMetaAsync([new EvidenceMetaRow { EvidenceId = "clip-0", DeviceId = "edge-01", CameraId = "cam-1", Kind = "clip", ContentType = "video/mp4", Bytes = 10_000, Sha256 = "x", Blurred = 0, Delivery = EvidenceDelivery.OnDevice, CreatedAt = 1 }], default);
        Assert.Equal((4000L, 40_000L), await store.EvidenceBytesAsync(default));

        // the clip budget (20 000 bytes) takes the two oldest clips and leaves every picture
        Assert.Equal(2, await store.PruneEvidenceAsync(t0, 20_000, default, clips: true));
        Assert.Equal((4000L, 20_000L), await store.EvidenceBytesAsync(default));
        Assert.Null(await store.GetEvidenceAsync("clip-1", default));
        Assert.NotNull(await store.GetEvidenceAsync("pic-0", default));
        // the picture budget does not count the clips
        Assert.Equal(1, await store.PruneEvidenceAsync(t0, 3000, default));
        Assert.NotNull(await store.GetEvidenceAsync("clip-3", default));
        // a pruned on-gateway clip is still known: it can be fetched again while the gateway has it
        var meta = await store.GetEvidenceMetaAsync("clip-0", default);
        Assert.Equal(0, meta!.Stored);
        Assert.True(meta.OnDevice && meta.IsUnblurred);
    }

    [Fact]
    public async Task EvidenceMeta_RequestsAndAudit_StoredAndQueried()
    {
        var store = await StoreAsync();
        var incidents = Incidents(store);
        var jpeg = TestEvents.Jpeg(5000);
        var episode = UuidV7.New();
        var started = TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, episode, EventType.Started, 1, DateTimeOffset.UtcNow,
            evidence: [new EvidenceRef("snap-1", TestEvents.Sha256(jpeg), jpeg.Length, "image/jpeg") { Width = 3840, Height = 2160, Blurred = true }]);
        var ended = TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, episode, EventType.Ended, 2, DateTimeOffset.UtcNow.AddSeconds(30),
            evidence: [new EvidenceRef("clip-1", new string('c', 64), 5_000_000, "video/mp4", EvidenceKinds.Clip)
                { StartTime = DateTimeOffset.UtcNow.AddSeconds(-10), EndTime = DateTimeOffset.UtcNow.AddSeconds(20), Blurred = false, Delivery = EvidenceDelivery.OnDevice }]);
        await incidents.IngestAsync([Received(started)], default);
        await incidents.IngestAsync([Received(ended), Received(ended)], default);   // a clip on the ended event, delivered twice
        await store.AddEvidenceAsync(new EvidenceRow { EvidenceId = "snap-1", DeviceId = "edge-01", ContentType = "image/jpeg", Bytes = jpeg.Length, Sha256 = TestEvents.Sha256(jpeg), Data = jpeg, ReceivedAt = 1 }, default);

        var incidentId = (await store.ListIncidentsAsync(null, null, 10, default)).Single().IncidentId;
        var list = await store.ListIncidentEvidenceAsync(incidentId, default);
        Assert.Equal(["snap-1", "clip-1"], list.Select(m => m.EvidenceId));
        Assert.Equal((3840L, 1L, 1L, EvidenceDelivery.Attached), (list[0].Width!.Value, list[0].Blurred!.Value, list[0].Stored, list[0].Delivery));
        Assert.Equal((0L, 0L, EvidenceDelivery.OnDevice), (list[1].Blurred!.Value, list[1].Stored, list[1].Delivery));
        Assert.NotNull(list[1].StartTime);

        await store.AddEvidenceRequestAsync(new EvidenceRequestRow { CommandId = "c1", EvidenceId = "clip-1", DeviceId = "edge-01", CameraId = "cam-1", RequestedBy = "alice", RequestedAt = 5 }, default);
        Assert.True(await store.CompleteEvidenceRequestAsync("c1", EvidenceRequestState.Error, "gone", DateTimeOffset.UtcNow, default));
        Assert.False(await store.CompleteEvidenceRequestAsync("c1", EvidenceRequestState.Delivered, null, DateTimeOffset.UtcNow, default));   // ended once
        Assert.Equal((EvidenceRequestState.Error, "gone"), ((await store.GetEvidenceRequestAsync("c1", default))!.State, (await store.GetEvidenceRequestAsync("c1", default))!.Detail));

        await store.AddEvidenceAccessAsync(new EvidenceAccessRow { At = 1, Principal = "bob", Action = EvidenceAccess.Fetch, EvidenceId = "clip-1", DeviceId = "edge-01", CameraId = "cam-1", Allowed = 0, Reason = "no" }, default);
        await store.AddEvidenceAccessAsync(new EvidenceAccessRow { At = 2, Principal = "alice", Action = EvidenceAccess.View, EvidenceId = "clip-1", DeviceId = "edge-01", CameraId = "cam-1", Allowed = 1, Reason = "yes" }, default);
        Assert.Equal(["alice", "bob"], (await store.ListEvidenceAccessAsync("clip-1", null, 10, default)).Select(a => a.Principal));
        Assert.Equal("no", Assert.Single(await store.ListEvidenceAccessAsync(null, "bob", 10, default)).Reason);

        // the columns hold the words they always held
        await using var db = await store.Dialect.OpenAsync(default);
        Assert.Equal(["on_device", "attached"], await Dapper.SqlMapper.QueryAsync<string>(db, "SELECT delivery FROM evidence_meta WHERE evidence_id IN ('snap-1', 'clip-1') ORDER BY evidence_id"));
        Assert.Equal(["error"], await Dapper.SqlMapper.QueryAsync<string>(db, "SELECT state FROM evidence_requests"));
        Assert.Equal(["fetch", "view"], await Dapper.SqlMapper.QueryAsync<string>(db, "SELECT action FROM evidence_access ORDER BY at"));
    }
}
