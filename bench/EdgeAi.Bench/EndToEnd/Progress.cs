using System.Diagnostics;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>
/// Progress lines on stderr, prefixed with the time since the run started, so `make bench` shows where it is and how long
/// each part took. Plain lines (no cursor tricks): readable in CI logs and through pipes.
/// </summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Say(string message)
    {
        var t = Clock.Elapsed;
        Console.Error.WriteLine($"[{(int)t.TotalMinutes:00}:{t.Seconds:00}] {message}");
    }
}
