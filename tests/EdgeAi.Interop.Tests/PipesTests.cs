using System.Diagnostics;
using EdgeAi.Interop.Processes;

namespace EdgeAi.Interop.Tests;

/// <summary>Pipe capacity of a real child's stdout, and that the data still flows through the grown pipe.</summary>
public sealed class PipesTests
{
    [Fact]
    public async Task TryGrow_ChildStdout_HoldsTwoFramesAndDeliversEveryByte()
    {
        const int frame = 320 * 320 * 3;
        var psi = new ProcessStartInfo("head", ["-c", (3 * frame).ToString(), "/dev/zero"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var child = Process.Start(psi)!;

        var capacity = Pipes.TryGrow(child.StandardOutput.BaseStream, 2 * frame);

        Assert.True(capacity >= 2 * frame, $"pipe capacity {capacity}, wanted {2 * frame}");
        var buffer = new byte[frame];
        for (var i = 0; i < 3; i++) await child.StandardOutput.BaseStream.ReadExactlyAsync(buffer);
        Assert.Equal(0, await child.StandardOutput.BaseStream.ReadAsync(buffer));
        await child.WaitForExitAsync();
    }

    [Fact]
    public void TryGrow_NotAPipe_ReturnsMinusOne()
    {
        using var memory = new MemoryStream();
        Assert.Equal(-1, Pipes.TryGrow(memory, 1 << 20));
    }
}
