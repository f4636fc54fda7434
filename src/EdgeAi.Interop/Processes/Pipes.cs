using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace EdgeAi.Interop.Processes;

/// <summary>Linux pipe capacity (<c>fcntl F_SETPIPE_SZ</c>).</summary>
public static partial class Pipes
{
    private const int FSetPipeSize = 1031;
    private const int FGetPipeSize = 1032;

    /// <summary>
    /// Grows the capacity of the pipe behind <paramref name="stream"/> (a child's redirected stdout) to at least
    /// <paramref name="bytes"/>, within the system limit (/proc/sys/fs/pipe-max-size, 1 MiB by default). A raw
    /// video frame of 300 KB through the default 64 KiB pipe costs the writer and the reader five wake-ups each;
    /// with a pipe that holds whole frames, one. Returns the capacity now, or -1 when the stream is not a pipe or
    /// the kernel refused (the pipe keeps working at its old size).
    /// </summary>
    public static int TryGrow(Stream stream, int bytes)
    {
        if (stream is not PipeStream pipe || !OperatingSystem.IsLinux()) return -1;
        var fd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        var current = Fcntl(fd, FGetPipeSize, 0);
        if (current < 0) return -1;
        if (current >= bytes) return current;
        var wanted = Math.Min(bytes, MaxSize());
        return wanted > current && Fcntl(fd, FSetPipeSize, wanted) >= 0 ? Fcntl(fd, FGetPipeSize, 0) : current;
    }

    private static int MaxSize()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return 1 << 20;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);
}
