using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Hosting;

/// <summary>
/// systemd/*.service checked by <c>systemd-analyze verify</c> (Debian systemd package). verify also insists that
/// ExecStart's binary exists, so the units are copied with /opt/edgeai/bin/ pointing at stand-in executables; every
/// other line is verified as shipped.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("units");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("edgeai-worker.service")]
    [InlineData("edgeai-central.service")]
    public void Verify_UnitFile_AcceptedBySystemdAnalyze(string unit)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        foreach (var exe in new[] { "edgeai", "edgeai-central" })
        {
            File.WriteAllText(Path.Combine(bin, exe), "#!/bin/sh\nexit 0\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, exe), (UnixFileMode)0x1ED);   // 0755
        }
        var text = File.ReadAllText(TestPaths.InRepo("systemd", unit));
        var copy = Path.Combine(_dir, unit);
        File.WriteAllText(copy, text.Replace("/opt/edgeai/bin/", bin + "/", StringComparison.Ordinal));

        var (code, output) = Tool.Exec("systemd-analyze", ["verify", copy]);

        Assert.True(code == 0 && !output.Contains(unit, StringComparison.Ordinal), $"systemd-analyze verify {unit} ({code}):\n{output}");
    }

    [Theory]
    [InlineData("edgeai-worker.service")]
    [InlineData("edgeai-central.service")]
    public void UnitFile_HasNotifyWatchdogRestartAndSandbox(string unit)
    {
        var lines = File.ReadAllLines(TestPaths.InRepo("systemd", unit)).Select(l => l.Trim()).ToHashSet();
        foreach (var required in new[] { "Type=notify", "Restart=on-failure", "DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes" })
            Assert.Contains(required, lines);
        Assert.Contains(lines, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("StateDirectory=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ConfigurationDirectory=", StringComparison.Ordinal));
    }
}
