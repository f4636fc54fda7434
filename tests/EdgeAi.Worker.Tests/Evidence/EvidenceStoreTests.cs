using System.Security.Cryptography;
using EdgeAi.Worker.Evidence;

namespace EdgeAi.Worker.Tests.Evidence;

public sealed class EvidenceStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeai-evidence-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

    private EvidenceStore Store(long maxBytes = 1 << 20, double maxAgeHours = 24) =>
        new(new EvidenceStoreOptions { Directory = _dir, MaxBytes = maxBytes, MaxAge = TimeSpan.FromHours(maxAgeHours) }, _clock);

    private static byte[] Blob(int size, byte fill = 7) => Enumerable.Repeat(fill, size).ToArray();

    private string[] Files() => Directory.GetFiles(_dir).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Save_ReturnsReferenceAndRoundTrips()
    {
        var store = Store();
        var data = Blob(1000, 42);

        var evidence = store.Save("ep1.started.snapshot", data);

        Assert.Equal("ep1.started.snapshot", evidence.Id);
        Assert.Equal(1000, evidence.Bytes);
        Assert.Equal("image/jpeg", evidence.ContentType);
        Assert.Equal("snapshot", evidence.Kind);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), evidence.Sha256);
        Assert.True(store.TryRead("ep1.started.snapshot", out var back));
        Assert.Equal(data, back);
        Assert.Equal(["ep1.started.snapshot.jpg"], Files());
    }

    [Fact]
    public void Save_BeyondMaxBytes_DeletesOldestFirst()
    {
        var store = Store(maxBytes: 2500);

        store.Save("a", Blob(1000));
        _clock.Advance(TimeSpan.FromSeconds(1));
        store.Save("b", Blob(1000));
        _clock.Advance(TimeSpan.FromSeconds(1));
        store.Save("c", Blob(1000));

        Assert.Equal(["b.jpg", "c.jpg"], Files());
        Assert.Equal(2000, store.TotalBytes);
        Assert.Equal(2, store.Count);
        Assert.False(store.TryRead("a", out _));
        Assert.Null(store.GetPath("a"));
    }

    [Fact]
    public void Save_BlobLargerThanLimit_KeepsItAndDropsTheRest()
    {
        var store = Store(maxBytes: 1500);
        store.Save("a", Blob(1000));

        store.Save("big", Blob(2000));

        Assert.Equal(["big.jpg"], Files());
        Assert.Equal(2000, store.TotalBytes);
    }

    [Fact]
    public void Save_SameIdTwice_ReplacesAndCountsOnce()
    {
        var store = Store();
        store.Save("a", Blob(1000));
        store.Save("a", Blob(300, 9));

        Assert.Equal(300, store.TotalBytes);
        Assert.True(store.TryRead("a", out var back));
        Assert.Equal(Blob(300, 9), back);
    }

    [Fact]
    public void Prune_OlderThanMaxAge_Deleted()
    {
        var store = Store(maxAgeHours: 24);
        store.Save("old", Blob(10));
        _clock.Advance(TimeSpan.FromHours(20));
        store.Save("new", Blob(10));
        _clock.Advance(TimeSpan.FromHours(5));

        Assert.Equal(1, store.Prune());

        Assert.Equal(["new.jpg"], Files());
        Assert.Equal(10, store.TotalBytes);
    }

    [Fact]
    public void Constructor_ExistingFiles_IndexedByAgeAndPruned()
    {
        Directory.CreateDirectory(_dir);
        void Put(string name, int size, TimeSpan age)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, Blob(size));
            File.SetLastWriteTimeUtc(path, (_clock.GetUtcNow() - age).UtcDateTime);
        }
        Put("stale.jpg", 100, TimeSpan.FromHours(30));
        Put("older.jpg", 600, TimeSpan.FromHours(3));
        Put("recent.jpg", 600, TimeSpan.FromHours(1));
        Put("half-written.jpg.123.tmp", 50, TimeSpan.Zero);
        Put("notes.txt", 5, TimeSpan.FromHours(100));

        var store = Store(maxBytes: 1000, maxAgeHours: 24);

        Assert.Equal(["notes.txt", "recent.jpg"], Files());
        Assert.Equal(600, store.TotalBytes);
        Assert.NotNull(store.GetPath("recent"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("sp ace")]
    public void Save_InvalidId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => Store().Save(id, Blob(1)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
