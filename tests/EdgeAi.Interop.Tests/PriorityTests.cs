using System.Diagnostics;
using EdgeAi.Interop.Processes;

namespace EdgeAi.Interop.Tests;

/// <summary>Nice value of a real child process, set and read back from /proc.</summary>
public sealed class PriorityTests
{
    [Fact]
    public void TrySetNice_Child_ReadBackFromProcAndInheritedByItsChildren()
    {
        // A shell that starts a second sleep only after its nice value was set: the grandchild must inherit it.
        using var child = Process.Start(new ProcessStartInfo("sh", ["-c", "read x; sleep 30 & echo $!; wait"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            Assert.Equal(0, Priority.ReadNice(child.Id));

            Assert.True(Priority.TrySetNice(child.Id, 7));

            Assert.Equal(7, Priority.ReadNice(child.Id));
            child.StandardInput.WriteLine("go");
            var grandchild = int.Parse(child.StandardOutput.ReadLine()!);
            Assert.Equal(7, Priority.ReadNice(grandchild));
            Signals.Send(grandchild, Signals.SIGKILL);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
    }

    [Fact]
    public void TrySetNice_NoSuchProcess_False() => Assert.False(Priority.TrySetNice(int.MaxValue, 5));

    [Fact]
    public void ReadNice_NoSuchProcess_Null() => Assert.Null(Priority.ReadNice(int.MaxValue));
}
