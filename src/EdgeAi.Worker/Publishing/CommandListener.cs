using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// Subscribes to <c>edgeai/v1/{device}/commands</c> (QoS 1; the persistent session keeps commands sent while offline),
/// hands each <see cref="DeviceCommand"/> to the handler off the network thread, and publishes the
/// <see cref="CommandReply"/> on <c>edgeai/v1/{device}/replies</c> with its evidence blobs first (correlation data =
/// command id). A command id seen recently is not run twice (QoS 1 redelivery). Replies are not durable: Central
/// re-sends a command it got no reply to.
/// </summary>
internal sealed partial class CommandListener : IAsyncDisposable
{
    private const int RememberedCommands = 256;
    private readonly MqttClient _client;
    private readonly DeliveryOptions _options;
    private readonly DeviceCommandHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _seenLock = new();
    private readonly HashSet<Guid> _seen = [];
    private readonly Queue<Guid> _seenOrder = new();
    private readonly List<Task> _running = [];

    public CommandListener(MqttClient client, DeliveryOptions options, DeviceCommandHandler handler, ILogger<CommandListener>? logger = null, TimeProvider? time = null)
    {
        _client = client;
        _options = options;
        _handler = handler;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _topic = Topics.Commands(options.DeviceId);
        _client.MessageReceived += OnMessage;
    }

    /// <summary>Subscribes (now if connected, else on connect, and again after every reconnect). Completes when the broker granted it.</summary>
    public async Task SubscribeAsync(CancellationToken ct)
    {
        try
        {
            await _client.SubscribeAsync(_topic, qos: 1, ct).ConfigureAwait(false);
            LogSubscribed(_topic);
        }
        catch (MqttException ex)
        {
            LogSubscribeRefused(_topic, ex.Message);
        }
    }

    private void OnMessage(MqttMessage message)
    {
        if (message.Topic != _topic) return;
        DeviceCommand? command;
        try
        {
            command = JsonSerializer.Deserialize(message.Payload, EdgeAiJsonContext.Default.DeviceCommand);
        }
        catch (JsonException ex)
        {
            LogBadCommand(ex.Path ?? "$", ex.Message);
            return;
        }
        if (command is null) return;
        lock (_seenLock)
        {
            if (!_seen.Add(command.CommandId))
            {
                LogDuplicate(command.CommandId);
                return;
            }
            _seenOrder.Enqueue(command.CommandId);
            if (_seenOrder.Count > RememberedCommands) _seen.Remove(_seenOrder.Dequeue());
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => HandleAsync(command)));
        }
    }

    private async Task HandleAsync(DeviceCommand command)
    {
        LogReceived(command.CommandId, command.Type, command.CameraId);
        CommandOutcome outcome;
        try
        {
            outcome = command.Type is DeviceCommandTypes.Verify or DeviceCommandTypes.FetchEvidence
                ? await _handler(command, _stop.Token).ConfigureAwait(false)
                : new CommandOutcome(CommandResult.Error, $"unknown command type '{Clip(command.Type)}'", []);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            LogHandlerFailed(ex, command.CommandId);
            outcome = new CommandOutcome(CommandResult.Error, ex.Message, []);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var correlation = UuidV7.ToBytes(command.CommandId);
            foreach (var blob in outcome.Evidence)
            {
                _ = _client.PublishAsync(Topics.Evidence(_options.DeviceId, blob.Ref.Id), blob.Data.Span, qos: 1,
                    contentType: blob.Ref.ContentType, correlationData: correlation);
            }
            var reply = new CommandReply(command.CommandId, _options.DeviceId, outcome.Result, outcome.Evidence.Select(b => b.Ref).ToList(),
                outcome.Detail, _time.GetUtcNow());
            var ack = await _client.PublishAsync(Topics.Replies(_options.DeviceId),
                JsonSerializer.SerializeToUtf8Bytes(reply, EdgeAiJsonContext.Default.CommandReply), qos: 1, contentType: "application/json")
                .WaitAsync(TimeSpan.FromSeconds(60), _time, _stop.Token).ConfigureAwait(false);
            if (!ack.IsSuccess) LogReplyFailed(command.CommandId, $"0x{ack.ReasonCode:x2} {ack.Reason}");
            else LogReplied(command.CommandId, outcome.Result);
        }
        catch (Exception ex) when (ex is MqttException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            LogReplyFailed(command.CommandId, ex.Message);
        }
    }

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";

    /// <summary>Stops handling: running handlers are cancelled and awaited.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.MessageReceived -= OnMessage;
        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_seenLock) running = [.. _running];
        try { await Task.WhenAll(running).ConfigureAwait(false); }
        catch (Exception ex) { LogHandlerFailed(ex, Guid.Empty); }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Subscribed to {Topic}")]
    private partial void LogSubscribed(string topic);

    [LoggerMessage(EventId = 441, Level = LogLevel.Error, Message = "Broker refused the subscription to {Topic}: {Reason}")]
    private partial void LogSubscribeRefused(string topic, string reason);

    [LoggerMessage(EventId = 442, Level = LogLevel.Warning, Message = "Ignored a command that does not parse (at {Path}): {Reason}")]
    private partial void LogBadCommand(string path, string reason);

    [LoggerMessage(EventId = 443, Level = LogLevel.Information, Message = "Command {CommandId} ({Type}) for camera {CameraId} received")]
    private partial void LogReceived(Guid commandId, string type, string cameraId);

    [LoggerMessage(EventId = 444, Level = LogLevel.Debug, Message = "Command {CommandId} redelivered; already handled")]
    private partial void LogDuplicate(Guid commandId);

    [LoggerMessage(EventId = 445, Level = LogLevel.Error, Message = "Command {CommandId} handler failed; replying error")]
    private partial void LogHandlerFailed(Exception ex, Guid commandId);

    [LoggerMessage(EventId = 446, Level = LogLevel.Information, Message = "Command {CommandId} answered: {Result}")]
    private partial void LogReplied(Guid commandId, CommandResult result);

    [LoggerMessage(EventId = 447, Level = LogLevel.Warning, Message = "Reply to command {CommandId} not delivered: {Reason}")]
    private partial void LogReplyFailed(Guid commandId, string reason);
}
