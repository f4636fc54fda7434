using System.Diagnostics;
using System.Text.Json;
using EdgeAi.Central.Broker;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Storage;
using EdgeAi.Messaging;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Evidence;

/// <summary>
/// Central's side of evidence privacy and on-gateway evidence. Evidence the gateway marked unblurred (an on-device clip,
/// typically) is shown only to principals <see cref="AccessPolicy"/> allows, and each request for it and each view of it
/// is written to the audit (<c>evidence_access</c>: who, what, when, allowed or denied, why). An authorised request for an
/// on-device blob publishes a <see cref="DeviceCommandTypes.FetchEvidence"/> command and waits, up to
/// <see cref="AccessSettings.FetchTimeout"/>, for the blob to be stored by the message processor (it arrives on the
/// evidence topic like any other, correlation data = the command id) or for the gateway's error reply.
/// </summary>
internal sealed partial class EvidenceService(
    CentralStore store,
    AccessPolicy access,
    CentralMqtt mqtt,
    EvidenceArrivals arrivals,
    CentralOptions options,
    TimeProvider time,
    ILogger<EvidenceService> logger)
{
    /// <summary>How often a waiting fetch looks at the store when no in-process signal came (another instance may store the blob).</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public AccessPolicy Policy => access;

    public enum FetchStatus { Stored, Fetched, NotFound, NotOnDevice, Forbidden, Offline, NotConnected, DeviceError, Timeout }

    /// <param name="Status">How it ended.</param>
    /// <param name="Detail">Why, for a failure (the 4xx/5xx body).</param>
    /// <param name="Meta">The evidence, when known.</param>
    /// <param name="Elapsed">From the request to the blob stored (fetched ones).</param>
    public sealed record FetchOutcome(FetchStatus Status, string? Detail, EvidenceMetaRow? Meta, TimeSpan Elapsed = default);

    /// <summary>
    /// May <paramref name="principal"/> see this evidence? Blurred (or not said) evidence: yes, not audited. Unblurred: as
    /// <see cref="AccessPolicy"/> decides, audited either way with <paramref name="action"/>.
    /// </summary>
    public async Task<(bool Allowed, string Reason)> AuthorizeAsync(string principal, EvidenceAccess action, EvidenceMetaRow meta, CancellationToken ct)
    {
        if (!meta.IsUnblurred) return (true, "blurred");
        var (allowed, reason) = access.CanSeeUnblurred(principal, meta.DeviceId, meta.CameraId);
        await store.AddEvidenceAccessAsync(new EvidenceAccessRow
        {
            At = UnixMs.From(time.GetUtcNow()), Principal = principal, Action = action, EvidenceId = meta.EvidenceId,
            DeviceId = meta.DeviceId, CameraId = meta.CameraId, Allowed = allowed ? 1 : 0, Reason = reason,
        }, ct).ConfigureAwait(false);
        if (allowed) LogAllowed(principal, action.ToText(), meta.EvidenceId, meta.DeviceId, meta.CameraId);
        else LogDenied(principal, action.ToText(), meta.EvidenceId, meta.DeviceId, meta.CameraId, reason);
        return (allowed, reason);
    }

    /// <summary>Makes an on-device blob available at Central for <paramref name="principal"/>: already stored, fetched now, or why not.</summary>
    public async Task<FetchOutcome> FetchAsync(string evidenceId, string principal, CancellationToken ct)
    {
        var meta = await store.GetEvidenceMetaAsync(evidenceId, ct).ConfigureAwait(false);
        if (meta is null) return new FetchOutcome(FetchStatus.NotFound, $"no evidence '{evidenceId}' is known", null);
        var (allowed, reason) = await AuthorizeAsync(principal, EvidenceAccess.Fetch, meta, ct).ConfigureAwait(false);
        if (!allowed) return new FetchOutcome(FetchStatus.Forbidden, reason, meta);
        if (meta.Stored == 1) return new FetchOutcome(FetchStatus.Stored, null, meta);
        if (!meta.OnDevice) return new FetchOutcome(FetchStatus.NotOnDevice, $"evidence '{evidenceId}' is sent with its event, not kept on the gateway, and has not arrived", meta);

        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var command = new DeviceCommand(UuidV7.New(time), DeviceCommandTypes.FetchEvidence, meta.CameraId, null, null, null, now) { EvidenceId = evidenceId };
        var request = new EvidenceRequestRow
        {
            CommandId = command.CommandId.ToString(), EvidenceId = evidenceId, DeviceId = meta.DeviceId, CameraId = meta.CameraId,
            RequestedBy = principal, RequestedAt = UnixMs.From(now), State = EvidenceRequestState.Pending,
        };
        var device = (await store.ListDevicesAsync(ct).ConfigureAwait(false)).FirstOrDefault(d => d.DeviceId == meta.DeviceId);
        if (device?.Online == 0)
        {
            var since = device.StatusAt is { } at ? $" since {UnixMs.ToTime(at):yyyy-MM-dd HH:mm:ss} UTC" : "";
            return await EndAsync(request with { State = EvidenceRequestState.Offline }, FetchStatus.Offline, $"gateway {meta.DeviceId} is offline{since}; the clip stays on it until it is back", meta, ct).ConfigureAwait(false);
        }
        if (!mqtt.IsConnected)
            return await EndAsync(request with { State = EvidenceRequestState.Error }, FetchStatus.NotConnected, "Central is not connected to the MQTT broker", meta, ct).ConfigureAwait(false);

        await store.AddEvidenceRequestAsync(request, ct).ConfigureAwait(false);
        var sent = await mqtt.PublishCommandAsync(meta.DeviceId, command, options.Platform.RequestTimeout, time, ct).ConfigureAwait(false);
        if (sent.Refused is { } refused) return await FailAsync(request, FetchStatus.NotConnected, $"the broker refused the command: {refused}", meta, ct).ConfigureAwait(false);
        if (sent.Failure is { } failure) return await FailAsync(request, FetchStatus.NotConnected, $"publishing the command failed: {failure}", meta, ct).ConfigureAwait(false);
        LogRequested(request.CommandId, evidenceId, meta.DeviceId, meta.CameraId, principal);

        var deadline = time.GetUtcNow() + options.Access.FetchTimeout;
        while (true)
        {
            var signal = arrivals.Next;
            if (await store.IsEvidenceStoredAsync(evidenceId, ct).ConfigureAwait(false))
            {
                await store.CompleteEvidenceRequestAsync(request.CommandId, EvidenceRequestState.Delivered, null, time.GetUtcNow(), ct).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started);
                LogFetched(evidenceId, meta.DeviceId, elapsed.TotalMilliseconds);
                return new FetchOutcome(FetchStatus.Fetched, null, meta, elapsed);
            }
            var state = await store.GetEvidenceRequestAsync(request.CommandId, ct).ConfigureAwait(false);
            if (state is { State: EvidenceRequestState.Error })
                return new FetchOutcome(FetchStatus.DeviceError, $"gateway {meta.DeviceId} could not send it: {state.Detail ?? "no reason given"}", meta);
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return await FailAsync(request, FetchStatus.Timeout, $"gateway {meta.DeviceId} did not send it within {options.Access.FetchTimeout.TotalSeconds:0.#} s", meta, ct, EvidenceRequestState.Timeout).ConfigureAwait(false);
            await Task.WhenAny(signal, Task.Delay(left < Poll ? left : Poll, time, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task<FetchOutcome> EndAsync(EvidenceRequestRow request, FetchStatus status, string detail, EvidenceMetaRow meta, CancellationToken ct)
    {
        await store.AddEvidenceRequestAsync(request with { Detail = detail, DoneAt = UnixMs.From(time.GetUtcNow()) }, ct).ConfigureAwait(false);
        LogFetchFailed(meta.EvidenceId, meta.DeviceId, detail);
        return new FetchOutcome(status, detail, meta);
    }

    private async Task<FetchOutcome> FailAsync(EvidenceRequestRow request, FetchStatus status, string detail, EvidenceMetaRow meta, CancellationToken ct, EvidenceRequestState state = EvidenceRequestState.Error)
    {
        await store.CompleteEvidenceRequestAsync(request.CommandId, state, detail, time.GetUtcNow(), ct).ConfigureAwait(false);
        LogFetchFailed(meta.EvidenceId, meta.DeviceId, detail);
        return new FetchOutcome(status, detail, meta);
    }

    /// <summary>A gateway's reply to a fetch_evidence command: an error ends the request (the waiter reports it); false when the command is not a fetch.</summary>
    public async Task<bool> ApplyReplyAsync(string deviceId, CommandReply reply, CancellationToken ct)
    {
        var request = await store.GetEvidenceRequestAsync(reply.CommandId.ToString(), ct).ConfigureAwait(false);
        if (request is null || request.DeviceId != deviceId) return false;
        if (reply.Result == CommandResult.Error)
            await store.CompleteEvidenceRequestAsync(request.CommandId, EvidenceRequestState.Error, reply.Detail ?? "error", time.GetUtcNow(), ct).ConfigureAwait(false);
        arrivals.Signal();
        return true;
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Unblurred evidence {EvidenceId} of {DeviceId}/{CameraId}: {Action} by {Principal} allowed")]
    private partial void LogAllowed(string principal, string action, string evidenceId, string deviceId, string cameraId);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Unblurred evidence {EvidenceId} of {DeviceId}/{CameraId}: {Action} by {Principal} denied: {Reason}")]
    private partial void LogDenied(string principal, string action, string evidenceId, string deviceId, string cameraId, string reason);

    [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Fetch of evidence {EvidenceId} from {DeviceId}/{CameraId} requested by {Principal} (command {CommandId})")]
    private partial void LogRequested(string commandId, string evidenceId, string deviceId, string cameraId, string principal);

    [LoggerMessage(EventId = 803, Level = LogLevel.Information, Message = "Evidence {EvidenceId} fetched from {DeviceId} in {Milliseconds:0} ms")]
    private partial void LogFetched(string evidenceId, string deviceId, double milliseconds);

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning, Message = "Fetch of evidence {EvidenceId} from {DeviceId} failed: {Detail}")]
    private partial void LogFetchFailed(string evidenceId, string deviceId, string detail);
}
