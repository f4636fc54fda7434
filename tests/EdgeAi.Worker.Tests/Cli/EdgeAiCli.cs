using System.Diagnostics;

namespace EdgeAi.Worker.Tests.Cli;

/// <summary>Runs the real <c>edgeai</c> command line (the built edgeai.dll beside the tests) to completion.</summary>
internal static class EdgeAiCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "edgeai.dll");

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(120));
        return (p.ExitCode, await stdout, await stderr);
    }
}
