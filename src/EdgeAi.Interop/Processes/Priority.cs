using System.Runtime.InteropServices;

namespace EdgeAi.Interop.Processes;

/// <summary>Scheduling priority (nice value) of a child process.</summary>
public static partial class Priority
{
    private const int PRIO_PROCESS = 0;

    /// <summary>
    /// Sets the nice value of <paramref name="pid"/> (-20 highest … 19 lowest); false if the process is gone or the value
    /// is not allowed. On Linux this sets the process's main thread; threads it starts afterwards inherit the value.
    /// </summary>
    public static bool TrySetNice(int pid, int nice) => SetPriority(PRIO_PROCESS, pid, nice) == 0;

    /// <summary>The nice value of <paramref name="pid"/> from /proc (field 19 of stat), or null when it cannot be read.</summary>
    public static int? ReadNice(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);   // field 19 = index 16 from field 3
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
