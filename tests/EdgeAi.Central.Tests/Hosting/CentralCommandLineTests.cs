using System.Diagnostics;

namespace EdgeAi.Central.Tests.Hosting;

/// <summary>The real <c>edgeai-central</c> command line (the built edgeai-central.dll beside the tests): usage errors and config errors.</summary>
public sealed class CentralCommandLineTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgeai-central.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("EDGEAI_CENTRAL_CONFIG");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (p.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData(null)]   // no command: run
    public async Task Run_ConfigFileMissing_ExitsTwoNamingIt(string? command)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-central-{Guid.NewGuid():N}.json");
        var (code, _, stderr) = await RunAsync(command is null ? ["--config", missing] : [command, "--config", missing]);
        Assert.Equal(2, code);
        Assert.Contains($"{missing}: file not found", stderr);
    }

    [Theory]
    [InlineData("bogus", "Unrecognized command or argument 'bogus'")]
    [InlineData("export-feedback", "Option '--out' is required")]
    [InlineData("config validate", "Required argument missing for command: 'validate'")]
    [InlineData("run --config", "Required argument missing for option: '--config'")]
    public async Task Parse_BadUsage_ExitsTwoWithTheErrorAndTheUsage(string args, string error)
    {
        var (code, _, stderr) = await RunAsync(args.Split(' '));
        Assert.Equal(2, code);
        Assert.Contains($"edgeai-central: {error}", stderr);
        Assert.Contains("edgeai-central config validate FILE", stderr);
    }

    [Fact]
    public async Task ExportFeedback_SinceNotADate_ExitsTwoNamingIt()
    {
        var (code, _, stderr) = await RunAsync("export-feedback", "--out", Path.GetTempPath(), "--since", "yesterday");
        Assert.Equal(2, code);
        Assert.Contains("edgeai-central: --since: not a date/time: yesterday", stderr);
    }

    [Fact]
    public async Task Help_PrintsTheUsage()
    {
        var (code, stdout, _) = await RunAsync("help");
        Assert.Equal(0, code);
        Assert.Contains("edgeai-central test-platform", stdout);
    }
}
