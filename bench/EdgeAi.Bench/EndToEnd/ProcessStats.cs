namespace EdgeAi.Bench.EndToEnd;

/// <summary>
/// CPU time and resident memory of processes from /proc (Linux): this process (the worker pipeline runs in it) and its
/// child processes by command name (ffmpeg per camera; the RTSP test server and mosquitto, reported apart because on a
/// real box cameras and broker live elsewhere).
/// </summary>
internal static class ProcessStats
{
    private static readonly double TicksPerSecond = 100;   // USER_HZ on Linux

    /// <summary>CPU seconds (user + system) and RSS bytes summed over the matching processes.</summary>
    public readonly record struct Sample(double CpuSeconds, long RssBytes, int Processes);

    public static Sample Self() => Read(Environment.ProcessId) is { } s ? s : default;

    /// <summary>Children of this process whose command name (comm) is <paramref name="comm"/>.</summary>
    public static Sample Children(string comm)
    {
        double cpu = 0;
        long rss = 0;
        var n = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (ParentAndName(pid) is not { } pn || pn.Parent != Environment.ProcessId || pn.Name != comm) continue;
            if (Read(pid) is not { } s) continue;
            cpu += s.CpuSeconds;
            rss += s.RssBytes;
            n++;
        }
        return new Sample(cpu, rss, n);
    }

    /// <summary>Busy and total jiffies of the whole machine (first line of /proc/stat).</summary>
    public static (long Busy, long Total) Machine()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = f[3] + (f.Length > 4 ? f[4] : 0);
        var total = f.Sum();
        return (total - idle, total);
    }

    private static (int Parent, string Name)? ParentAndName(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var rest = stat[(close + 2)..].Split(' ');
            return (int.Parse(rest[1]), stat[(open + 1)..close]);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static Sample? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields after the name, 0-based: state=0 ppid=1 ... utime=11 stime=12
            var cpu = (long.Parse(rest[11]) + long.Parse(rest[12])) / TicksPerSecond;
            long rss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
                break;
            }
            return new Sample(cpu, rss, 1);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
