namespace EdgeAi.Worker.Tests.Cli;

/// <summary>
/// The real <c>edgeai</c> on a machine where a library OpenCV's native part links against cannot be loaded: GTK 3 is
/// shadowed through LD_LIBRARY_PATH by a file that is not a library (as on a server without <c>libgtk-3-0</c>, the loader
/// fails on that soname). The service must stop at start naming the Debian package, not fail later on the first evidence.
/// </summary>
public sealed class OpenCvMissingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeai-nogtk-").FullName;

    [Fact]
    public async Task Run_GtkNotLoadable_ExitsAtStartNamingTheDebianPackage()
    {
        await File.WriteAllBytesAsync(Path.Combine(_dir, "libgtk-3.so.0"), []);
        var env = new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = _dir };

        var version = await EdgeAiCli.RunAsync(["version"], env);
        var run = await EdgeAiCli.RunAsync(["run", "--config", Path.Combine(_dir, "none.json")], env);

        Assert.NotEqual(0, version.ExitCode);
        Assert.Contains("libgtk-3.so.0", version.Stdout + version.Stderr);
        Assert.Contains("apt-get install libgtk-3-0", version.Stdout + version.Stderr);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("apt-get install libgtk-3-0", run.Stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
