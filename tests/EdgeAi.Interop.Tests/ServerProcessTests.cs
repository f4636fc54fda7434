using EdgeAi.Testing;

namespace EdgeAi.Interop.Tests;

/// <summary>The test fixture that runs child processes must not call a line missing that the child did print.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task WaitForOutput_LastLineJustBeforeExit_Found()
    {
        // The marker is the last thing printed before the exit: the exit can be observed before the output readers
        // delivered it, which failed with "exited with 0 before printing" (ProducerKillTests on a loaded machine).
        for (var round = 0; round < 20; round++)
        {
            await using var child = ServerProcess.Start("chatty", "/bin/sh", ["-c", round % 2 == 0 ? "echo finished-marker" : "seq 1 100000; echo finished-marker"]);
            await child.WaitForOutputAsync("finished-marker", TimeSpan.FromMinutes(1));
            Assert.Contains("finished-marker", child.Output);
        }
    }

    [Fact]
    public async Task WaitForOutput_ExitWithoutTheText_ThrowsWithExitCode()
    {
        await using var child = ServerProcess.Start("quiet", "/bin/sh", ["-c", "echo something-else; exit 3"]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => child.WaitForOutputAsync("never-printed", TimeSpan.FromMinutes(1)));
        Assert.Contains("exited with 3 before printing 'never-printed'", error.Message);
        Assert.Contains("something-else", error.Message);
    }
}
