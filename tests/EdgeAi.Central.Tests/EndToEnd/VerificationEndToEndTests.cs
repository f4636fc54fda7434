using System.Net.Http.Json;
using System.Text.Json;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>resolved → verify command to the worker over MQTT → reply → verified/closed or reopened, with the platform told.</summary>
public sealed class VerificationEndToEndTests : IAsyncLifetime
{
    /// <summary>For the tests where every command is answered: long enough that a slow CI machine never resends.</summary>
    private static readonly TimeSpan AnsweredTimeout = TimeSpan.FromSeconds(30);

    /// <summary>For the tests that wait out the timeout: short, yet a few times a loaded machine's reply round trip.</summary>
    private static readonly TimeSpan ExpiringTimeout = TimeSpan.FromSeconds(5);

    private CentralHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;   // each test starts Central with its own reply timeout

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
    }

    private async Task<(string CaseId, string PlatformId, TestDevice Device)> FiledCaseAsync(CommandResult answer, TimeSpan replyTimeout)
    {
        _h = await CentralHarness.StartAsync(o => o with
        {
            Verification = o.Verification with { ReplyTimeout = replyTimeout, MaxAttempts = 2 },
        });
        var device = await _h.DeviceAsync("edge-01");
        device.Answer = answer;
        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));
        string? caseId = null;
        await Wait.UntilAsync(async () =>
        {
            var cases = await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=filed");
            if (cases.GetArrayLength() == 0) return false;
            caseId = cases[0].GetProperty("case_id").GetString();
            return true;
        }, "case filed");
        return (caseId!, _h.Platform.Cases[0].Id, device);
    }

    private async Task<string> StateAsync(string caseId) =>
        (await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{caseId}")).GetProperty("case").GetProperty("state").GetString()!;

    [Fact]
    public async Task Resolve_WorkerReportsCleared_CaseVerifiedThenClosedByPlatform()
    {
        var (caseId, platformId, device) = await FiledCaseAsync(CommandResult.Cleared, AnsweredTimeout);
        Assert.Equal(200, await _h.Platform.SetStatusAsync(platformId, "dispatched", "team sent", default));
        Assert.Equal(200, await _h.Platform.SetStatusAsync(platformId, "resolved", "litter removed", default));

        await Wait.UntilAsync(async () => await StateAsync(caseId) == "closed", "case closed",
            diagnostics: () => _h.Api.GetStringAsync($"/api/v1/cases/{caseId}"));

        var cmd = Assert.Single(device.Commands);
        Assert.Equal(DeviceCommandTypes.Verify, cmd.Type);
        Assert.Equal("cam-1", cmd.CameraId);
        Assert.Equal(Scenarios.Litter, cmd.Scenario);
        var detail = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{caseId}");
        var states = detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
        Assert.Equal(["detected", "filed", "dispatched", "resolved", "verified", "closed"], states);
        Assert.Equal("cleared", detail.GetProperty("commands")[0].GetProperty("result").GetString());
        Assert.Contains(_h.Platform.Cases[0].Notifications, n => n.Status == "verified");
    }

    [Fact]
    public async Task Resolve_WorkerReportsStillPresent_CaseReopenedAndPlatformRedispatches()
    {
        var (caseId, platformId, device) = await FiledCaseAsync(CommandResult.StillPresent, AnsweredTimeout);
        Assert.Equal(200, await _h.Platform.SetStatusAsync(platformId, "resolved", "done", default));

        await Wait.UntilAsync(async () => await StateAsync(caseId) == "dispatched", "case reopened and re-dispatched",
            diagnostics: () => _h.Api.GetStringAsync($"/api/v1/cases/{caseId}"));

        var detail = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{caseId}");
        var states = detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
        Assert.Equal(["detected", "filed", "resolved", "reopened", "dispatched"], states);
        Assert.Equal("still_present", detail.GetProperty("commands")[0].GetProperty("result").GetString());
        Assert.Contains(_h.Platform.Cases[0].Notifications, n => n.Status == "reopened");
        var incident = (await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/incidents"))[0];
        Assert.Equal("open", incident.GetProperty("state").GetString());
        Assert.Single(device.Commands);
    }

    [Fact]
    public async Task Resolve_FirstCommandUnanswered_SentAgainAfterTimeoutThenVerified()
    {
        var (caseId, platformId, device) = await FiledCaseAsync(CommandResult.Cleared, ExpiringTimeout);
        device.IgnoreFirst = 1;
        Assert.Equal(200, await _h.Platform.SetStatusAsync(platformId, "resolved", "litter removed", default));

        await Wait.UntilAsync(async () => await StateAsync(caseId) == "closed", "case closed after the resent command was answered",
            diagnostics: () => _h.Api.GetStringAsync($"/api/v1/cases/{caseId}"));

        var commands = device.Commands.ToList();
        Assert.Equal(2, commands.Count);
        Assert.Equal(commands[0].CommandId, commands[1].CommandId);   // the same command again, so a late reply to the first also counts
        var detail = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{caseId}");
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("detail").GetString()?.Contains("sent again (attempt 2)", StringComparison.Ordinal) == true);
        Assert.Equal("cleared", detail.GetProperty("commands")[0].GetProperty("result").GetString());
    }

    [Fact]
    public async Task Resolve_DeviceNeverAnswers_CommandTimesOutAfterMaxAttemptsCaseStaysResolved()
    {
        var (caseId, platformId, device) = await FiledCaseAsync(CommandResult.Cleared, ExpiringTimeout);
        device.IgnoreFirst = int.MaxValue;
        Assert.Equal(200, await _h.Platform.SetStatusAsync(platformId, "resolved", "litter removed", default));

        JsonElement detail = default;
        await Wait.UntilAsync(async () =>
        {
            detail = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{caseId}");
            var commands = detail.GetProperty("commands");
            return commands.GetArrayLength() > 0 && commands[0].TryGetProperty("result", out var result) && result.GetString() == "timeout";
        }, "verification timed out", diagnostics: () => _h.Api.GetStringAsync($"/api/v1/cases/{caseId}"));

        Assert.Equal(2, device.Commands.Count);   // verification.max_attempts
        Assert.Equal("resolved", await StateAsync(caseId));
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("detail").GetString()?.StartsWith("verification timed out", StringComparison.Ordinal) == true);
        Assert.Empty(_h.Logs.Errors);
    }
}
