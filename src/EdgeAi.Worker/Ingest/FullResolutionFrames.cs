using System.Globalization;

namespace EdgeAi.Worker.Ingest;

/// <summary>
/// One camera's ring of full-resolution JPEGs written by its ffmpeg beside the model frames
/// (<see cref="FfmpegArguments.Build"/> with a full-resolution pattern): file <c>r{run}-{N:D8}.jpg</c> is the N-th frame that
/// decoder run put on stdout, the very picture the model analysed, at the camera's own size. Only the last
/// <see cref="Keep"/> files read of a run are kept, plus the one or two ffmpeg wrote ahead of the reader (enough for every
/// frame still queued, in inference or in analytics), so the ring stays at about 2 MB per 1080p camera; frames are numbered per decoder run because a restarted ffmpeg counts from 1 again.
/// Used by the camera's ingest loop only (not thread-safe); the evidence code just reads a file by its path, and a file
/// gone by then (the frame was far behind) makes it fall back to the model frame.
/// </summary>
public sealed class FullResolutionFrames : IDisposable
{
    /// <summary>Files kept per camera: frame queues (2 per model), inference batch, analytics channel (4) and the frame in hand, twice over.</summary>
    public const int Keep = 16;

    private readonly string _dir;
    private int _run;

    /// <param name="root">Folder of all cameras' rings (e.g. <see cref="DefaultRoot"/>).</param>
    public FullResolutionFrames(string root, string cameraId)
    {
        _dir = Path.Combine(root, SafeName(cameraId));
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        Directory.CreateDirectory(_dir);
    }

    /// <summary>The camera's ring folder.</summary>
    public string DirectoryPath => _dir;

    /// <summary>Starts a decoder run: removes what is left of runs before the previous one (frames of the previous run may
    /// still be in the pipeline) and returns the image2 pattern for ffmpeg.</summary>
    public string BeginRun()
    {
        _run++;
        foreach (var file in Directory.EnumerateFiles(_dir))
            if (RunOf(Path.GetFileName(file)) is not { } r || r < _run - 1) TryDelete(file);
        return Path.Combine(_dir, string.Create(CultureInfo.InvariantCulture, $"r{_run}-")).Replace("%", "%%", StringComparison.Ordinal) + "%08d.jpg";
    }

    /// <summary>Path of the <paramref name="index"/>-th frame (1-based) of the current run; the file may not exist.</summary>
    public string PathOf(long index) => Path.Combine(_dir, string.Create(CultureInfo.InvariantCulture, $"r{_run}-{index:D8}.jpg"));

    /// <summary>Frame <paramref name="index"/> of the current run arrived: the file <see cref="Keep"/> frames older goes.</summary>
    public void Arrived(long index)
    {
        if (index > Keep) TryDelete(PathOf(index - Keep));
    }

    /// <summary>Removes the camera's ring.</summary>
    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// The rings' folder for this process: <c>/dev/shm/edgeai-frames-{pid}</c> (RAM: an edge box's flash is not worn by a
    /// JPEG per analysed frame), else under the temporary folder. Folders of processes that no longer run are removed.
    /// </summary>
    public static string DefaultRoot()
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        foreach (var dir in Directory.EnumerateDirectories(parent, "edgeai-frames-*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)["edgeai-frames-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}")) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $"edgeai-frames-{Environment.ProcessId}"));
    }

    private static int? RunOf(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return name.Length > 1 && name[0] == 'r' && dash > 1 && int.TryParse(name.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
    }

    private static string SafeName(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')) is { Length: > 0 } s && s[0] != '.' ? s : "_" + id.Length;

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
