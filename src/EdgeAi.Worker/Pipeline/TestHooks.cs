namespace EdgeAi.Worker.Pipeline;

/// <summary>Test-only fault injection, read from the environment once. Unset (production), nothing happens.</summary>
internal static class TestHooks
{
    /// <summary>
    /// <c>EDGEAI_TEST_HANG_INFERENCE=PATH</c> — TEST ONLY, never set it on a real box: while the file PATH exists, every
    /// inference stage blocks before running its detector, as a wedged GPU driver would. The systemd watchdog test uses
    /// it to show that pings stop while the pipeline is hung and flow again once it moves.
    /// </summary>
    private static readonly string? HangInferenceFile = Environment.GetEnvironmentVariable("EDGEAI_TEST_HANG_INFERENCE");

    public static void BlockWhileInferenceHung(CancellationToken ct)
    {
        if (HangInferenceFile is null) return;
        while (File.Exists(HangInferenceFile) && !ct.IsCancellationRequested) Thread.Sleep(100);
    }
}
