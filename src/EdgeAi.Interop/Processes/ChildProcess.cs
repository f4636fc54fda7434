using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeAi.Interop.Processes;

/// <summary>
/// Starts child processes (ffmpeg, test servers) so that none outlives this process, even after SIGKILL:
/// each child is exec'd through util-linux <c>setpriv --pdeathsig KILL</c>, so the kernel kills it when its
/// parent dies. PDEATHSIG fires when the <em>thread</em> that forked exits, and thread-pool threads do exit
/// when idle, so every fork happens on one dedicated thread that lives as long as the process.
/// </summary>
public static class ChildProcess
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Result)> Queue = new();
    private static readonly Lazy<Thread> Launcher = new(() =>
    {
        var t = new Thread(Run) { IsBackground = true, Name = "child-process launcher" };
        t.Start();
        return t;
    });

    /// <summary>Path of setpriv; null when absent (the child then runs without the parent-death guard).</summary>
    public static string? SetPrivPath { get; } = File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : null;

    /// <summary>Starts <paramref name="info"/> as a guarded child. Blocks only for the fork/exec itself.</summary>
    public static Process Start(ProcessStartInfo info)
    {
        _ = Launcher.Value;
        var tcs = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((Guard(info), tcs));
        return tcs.Task.GetAwaiter().GetResult();
    }

    private static ProcessStartInfo Guard(ProcessStartInfo info)
    {
        if (SetPrivPath is null) return info;
        var guarded = new ProcessStartInfo(SetPrivPath)
        {
            RedirectStandardInput = info.RedirectStandardInput,
            RedirectStandardOutput = info.RedirectStandardOutput,
            RedirectStandardError = info.RedirectStandardError,
            UseShellExecute = false,
            WorkingDirectory = info.WorkingDirectory,
            CreateNoWindow = true,
        };
        foreach (var (k, v) in info.Environment) guarded.Environment[k] = v;
        guarded.ArgumentList.Add("--pdeathsig");
        guarded.ArgumentList.Add("KILL");
        guarded.ArgumentList.Add("--");
        guarded.ArgumentList.Add(info.FileName);
        foreach (var a in info.ArgumentList) guarded.ArgumentList.Add(a);
        return guarded;
    }

    private static void Run()
    {
        foreach (var (info, result) in Queue.GetConsumingEnumerable())
        {
            try
            {
                result.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}"));
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        }
    }

    /// <summary>Kills the child and its descendants, if still running, and waits up to <paramref name="wait"/>.</summary>
    public static void KillTree(Process process, TimeSpan wait)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(wait);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
    }
}
