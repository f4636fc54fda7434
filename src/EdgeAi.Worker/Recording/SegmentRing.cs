using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Recording;

/// <summary>
/// One camera's rolling recording: the camera's own ffmpeg writes its video stream, stream-copied (no decode, no
/// re-encode), into short MPEG-TS segments in <c>{directory}/{camera}/</c> as a second output (<see cref="OutputArguments"/>);
/// this class indexes the finished segments from ffmpeg's CSV segment list and deletes the oldest beyond
/// <see cref="RecordingOptions.RingLength"/> or <see cref="RecordingOptions.RingMaxBytes"/> bytes.
/// </summary>
/// <remarks>
/// <para>Wall-clock times: a segment is closed when the first key frame after the segment length arrives, so the
/// segment file's modification time is its end (receive time of the next key frame); its start is that minus its
/// duration from the list (stream time). MPEG-TS is used because a segment cut short by a killed ffmpeg still plays.</para>
/// <para>Each ffmpeg run writes <c>{run}-{n:000000}.ts</c> and <c>{run}.csv</c>, run = Unix milliseconds at its start, so a
/// restarted ffmpeg never overwrites a segment still in the ring. ffmpeg rewrites the list (temporary file + rename)
/// with its last 20 entries at each segment end; <see cref="Poll"/> reads it (a timer calls it twice a second).</para>
/// <para>Thread-safety: all members may be called concurrently (one lock; file deletes happen outside no reader's use:
/// a clip being cut holds open handles, which Linux keeps valid after unlink).</para>
/// </remarks>
public sealed partial class SegmentRing : IDisposable
{
    private const int ListEntries = 20;
    private readonly RecordingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Lock _pollLock = new();   // one poll at a time (timer callbacks may overlap); guards _known
    private readonly List<Segment> _segments = [];   // oldest first
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private long _bytes;
    private long _deleted;
    private long _clips;
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SegmentRing(string cameraId, RecordingOptions options, ILogger logger, TimeProvider? time = null)
    {
        CameraId = cameraId;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Folder = Path.Combine(options.Directory, cameraId);
        Directory.CreateDirectory(Folder);
        // A ring is a cache of the last minute: what an earlier worker left is stale.
        foreach (var f in Directory.EnumerateFiles(Folder)) TryDelete(f);
        _timer = _time.CreateTimer(_ => Poll(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public string CameraId { get; }

    /// <summary>The camera's segment folder.</summary>
    public string Folder { get; }

    /// <summary>
    /// The ffmpeg arguments of the recording output, appended after the analysis output of the camera's ffmpeg: the
    /// first video stream stream-copied (<c>-c:v copy</c>; input decoder options such as <c>-skip_frame nokey</c> do not
    /// touch copied packets) into MPEG-TS segments cut at key frames. The segment muxer sits in a <c>tee</c> with
    /// <c>onfail=ignore</c> beside a null output: a write error (disk full) ends the recording of this ffmpeg run, not the
    /// whole ffmpeg — a plain second output would take the analysis down with it (seen: "No space left on device", exit 1).
    /// </summary>
    public IReadOnlyList<string> OutputArguments()
    {
        var run = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var segment = string.Join(':',
            "f=segment", "segment_time=" + _options.SegmentLength.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), "segment_format=mpegts",
            "reset_timestamps=1", "segment_list=" + Path.Combine(Folder, run + ".csv"), "segment_list_type=csv",
            "segment_list_size=" + ListEntries.ToString(CultureInfo.InvariantCulture), "onfail=ignore");
        return ["-map", "0:v:0", "-c:v", "copy", "-an", "-sn", "-dn", "-f", "tee", $"[{segment}]{Path.Combine(Folder, run + "-%06d.ts")}|[f=null]-"];
    }

    /// <summary>Characters the tee muxer's syntax gives a meaning to; refused in <see cref="RecordingOptions.Directory"/>.</summary>
    internal const string TeeSpecial = ":[]|\\'=";

    /// <summary>Segments in the ring now.</summary>
    public int Count { get { lock (_lock) return _segments.Count; } }

    /// <summary>Bytes of the segments in the ring now.</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    /// <summary>Seconds of video in the ring now (sum of segment durations).</summary>
    public double Seconds { get { lock (_lock) return _segments.Sum(s => (s.End - s.Start).TotalSeconds); } }

    /// <summary>Event clips cut from this ring since start.</summary>
    public long ClipsMade => Interlocked.Read(ref _clips);

    internal void ClipMade() => Interlocked.Increment(ref _clips);

    /// <summary>Segments deleted by the ring's bounds since start.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>End time of the newest finished segment; null before the first.</summary>
    public DateTimeOffset? LatestEnd { get { lock (_lock) return _segments.Count == 0 ? null : _segments[^1].End; } }

    /// <summary>
    /// The finished segments that cover <paramref name="from"/>..<paramref name="to"/>: from the last one starting at or
    /// before <paramref name="from"/> (or the oldest) to the first one ending at or after <paramref name="to"/> (or the newest).
    /// </summary>
    public IReadOnlyList<Segment> Covering(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_lock)
        {
            var first = _segments.FindLastIndex(s => s.Start <= from);
            if (first < 0) first = 0;
            var result = new List<Segment>();
            for (var i = first; i < _segments.Count; i++)
            {
                if (_segments[i].Start > to) break;
                result.Add(_segments[i]);
                if (_segments[i].End >= to) break;
            }
            return result;
        }
    }

    /// <summary>Completes when a segment ending at or after <paramref name="time"/> is in the ring.</summary>
    public async Task WaitForAsync(DateTimeOffset time, CancellationToken ct)
    {
        while (true)
        {
            Task added;
            lock (_lock)
            {
                if (_segments.Count > 0 && _segments[^1].End >= time) return;
                added = _added.Task;
            }
            await added.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the segment lists, indexes new finished segments and applies the bounds. Called by the timer.</summary>
    public void Poll()
    {
        if (!_pollLock.TryEnter()) return;
        try
        {
            var fresh = new List<Segment>();
            foreach (var list in Directory.EnumerateFiles(Folder, "*.csv"))
            {
                string[] lines;
                try { lines = File.ReadAllLines(list); }
                catch (IOException) { continue; }   // replaced while read: next poll
                foreach (var line in lines)
                {
                    var parts = line.Split(',');
                    if (parts.Length < 3 || _known.Contains(parts[0])) continue;
                    if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s0)
                        || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var s1)) continue;
                    var path = Path.Combine(Folder, parts[0]);
                    var info = new FileInfo(path);
                    if (!info.Exists) { _known.Add(parts[0]); continue; }
                    var end = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
                    var duration = TimeSpan.FromSeconds(Math.Max(0, s1 - s0));
                    fresh.Add(new Segment(path, end - duration, end, info.Length));
                    _known.Add(parts[0]);
                }
            }
            List<string> delete;
            lock (_lock)
            {
                foreach (var s in fresh.OrderBy(s => s.End))
                {
                    _segments.Add(s);
                    _bytes += s.Bytes;
                }
                delete = TrimLocked();
                if (fresh.Count > 0)
                {
                    _segments.Sort((a, b) => a.End.CompareTo(b.End));
                    _added.TrySetResult();
                    _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            foreach (var path in delete) TryDelete(path);
            DeleteOrphans();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogPollFailed(CameraId, ex.Message);
        }
        finally
        {
            _pollLock.Exit();
        }
    }

    private List<string> TrimLocked()
    {
        var delete = new List<string>();
        var seconds = _segments.Sum(s => (s.End - s.Start).TotalSeconds);
        while (_segments.Count > 1 && (_bytes > _options.RingMaxBytes || seconds > _options.RingLength.TotalSeconds))
        {
            var oldest = _segments[0];
            _segments.RemoveAt(0);
            _bytes -= oldest.Bytes;
            seconds -= (oldest.End - oldest.Start).TotalSeconds;
            delete.Add(oldest.Path);
            Interlocked.Increment(ref _deleted);
        }
        return delete;
    }

    /// <summary>
    /// Segments never listed (the one being written when an ffmpeg run was killed) and lists of ended runs: deleted once
    /// they are older than the ring, so a crash-looping camera cannot fill the disk. The segment being written is younger.
    /// </summary>
    private void DeleteOrphans()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - (_options.RingLength > TimeSpan.FromSeconds(30) ? _options.RingLength : TimeSpan.FromSeconds(30));
        HashSet<string> listed;
        lock (_lock) listed = [.. _segments.Select(s => Path.GetFileName(s.Path))];
        foreach (var file in new DirectoryInfo(Folder).EnumerateFiles())
        {
            if (listed.Contains(file.Name) || file.LastWriteTimeUtc >= cutoff) continue;
            TryDelete(file.FullName);
            _known.Remove(file.Name);
        }
        if (_known.Count > 10_000) _known.IntersectWith(listed);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => _timer.Dispose();

    [LoggerMessage(EventId = 280, Level = LogLevel.Warning, Message = "Camera {CameraId}: recording ring not readable: {Reason}")]
    private partial void LogPollFailed(string cameraId, string reason);
}

/// <summary>One finished segment: its file, wall-clock start and end (UTC), and size.</summary>
public sealed record Segment(string Path, DateTimeOffset Start, DateTimeOffset End, long Bytes);
