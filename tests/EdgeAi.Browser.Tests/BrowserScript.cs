using System.Diagnostics;
using System.Text;
using EdgeAi.Interop.Processes;
using EdgeAi.Testing;

namespace EdgeAi.Browser.Tests;

/// <summary>
/// Runs a node script from tests/browser (it drives Debian's chromium through playwright-core) as a guarded child
/// process. The script talks to the test line by line: each stdout line goes to <c>onLine</c>, whose non-null answer
/// is written back on the script's stdin. Returns the exit code and the whole output.
/// </summary>
internal static class BrowserScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, IReadOnlyDictionary<string, string> environment,
        Func<string, Task<string?>> onLine, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestPaths.RepoRoot,
        };
        psi.ArgumentList.Add(TestPaths.InRepo("tests", "browser", script));
        psi.Environment["EDGEAI_REPO_ROOT"] = TestPaths.RepoRoot;
        foreach (var (k, v) in environment) psi.Environment[k] = v;

        using var process = ChildProcess.Start(psi);
        var output = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                lock (output) output.AppendLine(line);
                if (await onLine(line) is { } answer)
                {
                    await process.StandardInput.WriteLineAsync(answer);
                    await process.StandardInput.FlushAsync();
                }
            }
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            ChildProcess.KillTree(process, TimeSpan.FromSeconds(5));   // chromium goes with it
            output.AppendLine($"(browser script killed after {timeout.TotalSeconds} s)");
            return (-1, output + await stderr);
        }
        return (process.ExitCode, output + await stderr);
    }
}
