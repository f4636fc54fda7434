using System.Diagnostics;

namespace EdgeAi.Testing;

/// <summary>Runs a short-lived command-line tool (ffmpeg, openssl, mosquitto_passwd, initdb) to completion.</summary>
public static class Tool
{
    /// <summary>Exit code and combined output (stdout then stderr; both are drained, so a chatty tool cannot block).</summary>
    public static (int Code, string Output) Exec(string file, IEnumerable<string> args, string workingDir = "/")
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = workingDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    /// <summary>Runs the tool; throws naming the command, exit code and output when it fails.</summary>
    public static void Run(string file, params string[] args)
    {
        var (code, output) = Exec(file, args);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
    }
}
