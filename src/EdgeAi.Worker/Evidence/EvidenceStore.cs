using System.Security.Cryptography;
using EdgeAi.Models.Events;

namespace EdgeAi.Worker.Evidence;

/// <summary>
/// Evidence blobs on local disk, one file per id (<c>{id}.jpg</c>), kept within a total size and a maximum age:
/// each save prunes the oldest files beyond either limit (never the file just saved), and <see cref="Prune"/>
/// may be called periodically. Files are written to a temporary name and renamed, so a reader never sees a
/// partial file. Existing files are indexed at start-up by their modification time. Thread-safe.
/// </summary>
internal sealed class EvidenceStore
{
    private const string Extension = ".jpg";

    private readonly EvidenceStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];   // oldest first
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private long _totalBytes;

    public EvidenceStore(EvidenceStoreOptions options, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _options = options;
        _time = time ?? TimeProvider.System;
        System.IO.Directory.CreateDirectory(options.Directory);
        foreach (var file in new DirectoryInfo(options.Directory).EnumerateFiles("*" + Extension))
        {
            var id = Path.GetFileNameWithoutExtension(file.Name);
            if (!IsValidId(id)) continue;
            var entry = new Entry(id, file.FullName, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
            _entries.Add(entry);
            _byId[id] = entry;
            _totalBytes += entry.Bytes;
        }
        foreach (var tmp in System.IO.Directory.EnumerateFiles(options.Directory, "*.tmp")) TryDelete(tmp);
        _entries.Sort((a, b) => a.Time.CompareTo(b.Time));
        Prune();
    }

    /// <summary>The folder the files are in.</summary>
    public string RootPath => _options.Directory;

    public long TotalBytes { get { lock (_lock) return _totalBytes; } }

    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>Stores <paramref name="data"/> under <paramref name="id"/> (1–64 of [A-Za-z0-9._-]; replaces a file with that id).</summary>
    public EvidenceRef Save(string id, ReadOnlySpan<byte> data, string kind = "snapshot", string contentType = "image/jpeg")
    {
        if (!IsValidId(id)) throw new ArgumentException($"evidence id '{id}' must be 1-64 characters of A-Z a-z 0-9 . _ - and not start with '.'", nameof(id));
        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        var path = Path.Combine(_options.Directory, id + Extension);
        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        var entry = new Entry(id, path, data.Length, _time.GetUtcNow());
        lock (_lock)
        {
            if (_byId.Remove(id, out var old))
            {
                _entries.Remove(old);
                _totalBytes -= old.Bytes;
            }
            _entries.Add(entry);
            _byId[id] = entry;
            _totalBytes += entry.Bytes;
            PruneLocked(keep: entry);
        }
        return new EvidenceRef(id, sha, data.Length, contentType, kind);
    }

    /// <summary>Full path of a stored blob, or null when it is not (or no longer) stored.</summary>
    public string? GetPath(string id)
    {
        lock (_lock) return _byId.TryGetValue(id, out var e) ? e.Path : null;
    }

    /// <summary>Reads a stored blob; false when it is not (or no longer) stored.</summary>
    public bool TryRead(string id, out byte[] data)
    {
        data = [];
        var path = GetPath(id);
        if (path is null) return false;
        try
        {
            data = File.ReadAllBytes(path);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Deletes files beyond the age and size limits, oldest first; returns how many.</summary>
    public int Prune()
    {
        lock (_lock) return PruneLocked(keep: null);
    }

    private int PruneLocked(Entry? keep)
    {
        var cutoff = _time.GetUtcNow() - _options.MaxAge;
        var removed = 0;
        for (var i = 0; i < _entries.Count;)
        {
            var e = _entries[i];
            var overSize = _totalBytes > _options.MaxBytes;
            if (ReferenceEquals(e, keep) || (!overSize && e.Time >= cutoff))
            {
                // Entries are ordered by time: once neither limit applies, nothing later is due either.
                if (!overSize) break;
                i++;
                continue;
            }
            _entries.RemoveAt(i);
            _byId.Remove(e.Id);
            _totalBytes -= e.Bytes;
            TryDelete(e.Path);
            removed++;
        }
        return removed;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    internal static bool IsValidId(string id)
    {
        if (id.Length is < 1 or > 64 || id[0] == '.') return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        return true;
    }

    private sealed record Entry(string Id, string Path, long Bytes, DateTimeOffset Time);
}
