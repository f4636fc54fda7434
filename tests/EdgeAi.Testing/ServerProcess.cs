using System.Diagnostics;
using System.Text;
using EdgeAi.Interop.Processes;

namespace EdgeAi.Testing;

/// <summary>
/// A server process started by a test: guarded against orphaning (<see cref="ChildProcess"/>), its output kept
/// for failure messages, stopped with SIGTERM then SIGKILL. Every instance is registered so
/// <see cref="Running"/> can prove nothing was left behind.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly List<ServerProcess> All = [];
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ServerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        lock (All) All.Add(this);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }   // disposed
        }
    }

    /// <summary>Last output lines (stdout and stderr), for assertion messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Test-started servers still running in this test process.</summary>
    public static IReadOnlyList<ServerProcess> Running { get { lock (All) return All.Where(p => !p.HasExited).ToList(); } }

    /// <param name="environment">Extra environment variables for this process only (e.g. NOTIFY_SOCKET).</param>
    public static ServerProcess Start(string name, string file, IEnumerable<string> args, string? workingDir = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDir ?? TestPaths.RepoRoot,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return new ServerProcess(ChildProcess.Start(psi), name);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length > 64_000) _output.Remove(0, 32_000);
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails fast if the process exits.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                // The exit is seen before the output readers have delivered the last lines (a loaded machine makes the
                // gap long): read the pipes to their end before deciding the text never came.
                await DrainOutputAsync();
                if (Output.Contains(text, StringComparison.Ordinal)) return;
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before printing '{text}':\n{Output}");
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} did not print '{text}' within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// After the exit: waits until stdout and stderr reached end of file and every line went through the handlers
    /// (<see cref="Process.WaitForExitAsync"/> does that for redirected streams). Bounded, because a grandchild that
    /// inherited the pipes (an ffmpeg of a killed worker) can hold them open.
    /// </summary>
    private async Task DrainOutputAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (HasExited) return;
        try
        {
            Signals.Send(_process.Id, Signals.SIGTERM);
            using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            ChildProcess.KillTree(_process, TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>SIGKILL now: a crash, not a shutdown.</summary>
    public void Kill() => ChildProcess.KillTree(_process, TimeSpan.FromSeconds(5));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
