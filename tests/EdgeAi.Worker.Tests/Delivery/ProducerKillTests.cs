using System.Text.RegularExpressions;
using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Delivery;

/// <summary>
/// The producer process (<c>edgeai simulate-events</c>: the real outbox and publisher) is killed with SIGKILL mid-stream
/// and started again on the same outbox: the sequence numbers Central receives show no gap.
/// </summary>
public sealed partial class ProducerKillTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("kill");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task SimulateEvents_KilledWithSigkillAndRestarted_SequencesReceivedWithoutGap()
    {
        await using var broker = await MosquittoBroker.StartNewAsync("edge-01");
        await using var consumer = await EventConsumer.StartAsync(broker);
        var passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(passwordFile, broker.Passwords["edge-01"] + "\n");
        var outbox = Path.Combine(_dir, "outbox.db");
        var dll = Path.Combine(AppContext.BaseDirectory, "edgeai.dll");
        Assert.True(File.Exists(dll), $"{dll} missing: the test project references the Worker project, whose edgeai.dll is copied beside the tests");
        string[] Args(int count, int rate) =>
        [
            dll, "simulate-events", "--broker-host", broker.Host, "--broker-port", broker.Port.ToString(), "--device-id", "edge-01",
            "--password-file", passwordFile, "--outbox", outbox, "--count", count.ToString(), "--rate", rate.ToString(), "--evidence-bytes", "2000",
        ];

        await using (var first = ServerProcess.Start("simulate-events (killed)", "dotnet", Args(1_000_000, 300)))
        {
            await consumer.WaitForDistinctAsync(300, DeliveryFixture.Timeout);
            first.Kill();
            Assert.True(first.HasExited);
        }
        var receivedBeforeKill = consumer.Distinct;

        await using var second = ServerProcess.Start("simulate-events (restarted)", "dotnet", Args(500, 0));
        await second.WaitForOutputAsync("drained: yes", TimeSpan.FromMinutes(3));

        var lastBeforeRestart = long.Parse(LastSequence().Match(second.Output).Groups[1].Value);
        var expectedLast = lastBeforeRestart + 500;
        await consumer.WaitForDistinctAsync((int)expectedLast, DeliveryFixture.Timeout);
        consumer.AssertCompleteInOrder(expectedLast);
        Assert.True(lastBeforeRestart >= receivedBeforeKill, $"the killed run committed {lastBeforeRestart} events, fewer than the {receivedBeforeKill} received");
        Assert.Contains($"enqueued: 500 events (sequence {lastBeforeRestart + 1}..{expectedLast})", second.Output);
    }

    [GeneratedRegex(@"outbox: .* holds \d+ events; last sequence (\d+)")]
    private static partial Regex LastSequence();
}
