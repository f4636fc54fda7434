namespace EdgeAi.Central.TestPlatform;

/// <summary>Faults the test platform injects into filing requests, consumed one request at a time, in this order.</summary>
internal sealed class PlatformFaults
{
    /// <summary>Answer this many filing requests with HTTP 500 (nothing stored).</summary>
    public int FailNext { get; set; }

    /// <summary>Answer every filing request with HTTP 500 until this time (an outage of the platform); null: no outage.</summary>
    public DateTimeOffset? FailUntil { get; set; }

    /// <summary>Store this many cases, then hold the answer for <see cref="HangFor"/> (the client times out).</summary>
    public int HangNextAfterCommit { get; set; }

    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(30);
}
