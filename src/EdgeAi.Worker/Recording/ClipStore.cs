using System.Text.Json;
using EdgeAi.Models.Events;

namespace EdgeAi.Worker.Recording;

/// <summary>
/// Event clips kept on the box (<c>{id}.mp4</c>, with their <see cref="EvidenceRef"/> beside them as <c>{id}.json</c>), within a
/// total size and a maximum age: each add prunes the oldest clips beyond either limit (never the one just added). Central
/// fetches a clip by id (<c>fetch_evidence</c>) while it is kept. Existing clips are indexed at start-up, so a restart
/// does not lose what Central may still ask for. Thread-safe.
/// </summary>
public sealed class ClipStore
{
    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];   // oldest first
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private long _bytes;

    public ClipStore(string folder, long maxBytes, TimeSpan maxAge, TimeProvider? time = null)
    {
        _folder = folder;
        _maxBytes = maxBytes;
        _maxAge = maxAge;
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(folder);
        foreach (var tmp in Directory.EnumerateFiles(folder, "*.tmp*")) TryDelete(tmp);
        foreach (var meta in new DirectoryInfo(folder).EnumerateFiles("*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(meta.Name);
            var video = Path.Combine(folder, id + ".mp4");
            EvidenceRef? evidence = null;
            try { evidence = JsonSerializer.Deserialize(File.ReadAllBytes(meta.FullName), EdgeAiJsonContext.Default.EvidenceRef); }
            catch (JsonException) { }
            if (evidence is null || evidence.Id != id || !File.Exists(video))
            {
                TryDelete(meta.FullName);
                TryDelete(video);
                continue;
            }
            var e = new Entry(evidence, video, new FileInfo(video).Length, new DateTimeOffset(meta.LastWriteTimeUtc, TimeSpan.Zero));
            _entries.Add(e);
            _byId[id] = e;
            _bytes += e.Bytes;
        }
        _entries.Sort((a, b) => a.Time.CompareTo(b.Time));
        lock (_lock) PruneLocked(null);
    }

    /// <summary>The folder of the clips.</summary>
    public string Folder => _folder;

    public int Count { get { lock (_lock) return _entries.Count; } }

    public long TotalBytes { get { lock (_lock) return _bytes; } }

    /// <summary>A fresh temporary path in the store's folder for a clip being written (same file system: the add is a rename).</summary>
    public string TempPath() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".tmp.mp4");

    /// <summary>Moves the finished clip at <paramref name="tempPath"/> into the store under <paramref name="evidence"/>'s id.</summary>
    public void Add(string tempPath, EvidenceRef evidence)
    {
        var video = Path.Combine(_folder, evidence.Id + ".mp4");
        var meta = Path.Combine(_folder, evidence.Id + ".json");
        File.Move(tempPath, video, overwrite: true);
        var metaTmp = meta + ".tmp";
        File.WriteAllBytes(metaTmp, JsonSerializer.SerializeToUtf8Bytes(evidence, EdgeAiJsonContext.Default.EvidenceRef));
        File.Move(metaTmp, meta, overwrite: true);
        var entry = new Entry(evidence, video, evidence.Bytes, _time.GetUtcNow());
        lock (_lock)
        {
            if (_byId.Remove(evidence.Id, out var old))
            {
                _entries.Remove(old);
                _bytes -= old.Bytes;
            }
            _entries.Add(entry);
            _byId[evidence.Id] = entry;
            _bytes += entry.Bytes;
            PruneLocked(entry);
        }
    }

    /// <summary>The clip with this id and its reference; false when unknown or no longer kept (expired or pruned).</summary>
    public bool TryRead(string id, out EvidenceRef evidence, out byte[] data)
    {
        evidence = null!;
        data = [];
        Entry? e;
        lock (_lock)
        {
            PruneLocked(null);
            if (!_byId.TryGetValue(id, out e)) return false;
        }
        try
        {
            data = File.ReadAllBytes(e.Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        evidence = e.Ref;
        return true;
    }

    private void PruneLocked(Entry? keep)
    {
        var cutoff = _time.GetUtcNow() - _maxAge;
        for (var i = 0; i < _entries.Count;)
        {
            var e = _entries[i];
            var overSize = _bytes > _maxBytes;
            if (ReferenceEquals(e, keep) || (!overSize && e.Time >= cutoff))
            {
                if (!overSize) break;
                i++;
                continue;
            }
            _entries.RemoveAt(i);
            _byId.Remove(e.Ref.Id);
            _bytes -= e.Bytes;
            TryDelete(e.Path);
            TryDelete(Path.ChangeExtension(e.Path, ".json"));
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private sealed record Entry(EvidenceRef Ref, string Path, long Bytes, DateTimeOffset Time);
}
