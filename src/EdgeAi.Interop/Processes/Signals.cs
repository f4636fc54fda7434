using System.Runtime.InteropServices;

namespace EdgeAi.Interop.Processes;

/// <summary>POSIX signals to child processes (.NET's Process.Kill only sends SIGKILL).</summary>
public static partial class Signals
{
    public const int SIGTERM = 15;
    public const int SIGKILL = 9;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false if the process is gone.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
