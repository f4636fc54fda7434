using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Net = MQTTnet;

namespace EdgeAi.Messaging;

/// <summary>
/// MQTT 5 client over MQTTnet. MQTTnet v5 has no managed client: one supervising loop connects, waits for the connection
/// to end and connects again, with the reconnect backoff of <see cref="ReconnectBackoff"/> (Polly); it never reconnects
/// from MQTTnet's Disconnected event. Subscriptions are remembered and taken again after every reconnect.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="PublishAsync"/> and <see cref="SubscribeAsync"/> may be called from any thread.
/// <see cref="MessageReceived"/> runs on MQTTnet's message loop (one message at a time per connection) and must not block;
/// <see cref="StateChanged"/> runs on the supervising loop. A QoS 1 publish completes with the broker's PUBACK reason code;
/// if the connection drops first it faults with <see cref="MqttException"/> (<see cref="MqttException.ConnectionLost"/>)
/// and is not resent by this client: the caller decides (the outbox publisher resumes from its oldest unacknowledged row).
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Net.IMqttClient _client;
    private readonly Net.MqttClientOptions _connectOptions;
    private readonly ResiliencePipeline _reconnect;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _subscriptions = new();
    private readonly Lock _stateLock = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _connection = new();   // one per connection: cancelled when it ends
    private Task? _loop;
    private volatile MqttConnectionState _state = MqttConnectionState.Stopped;
    private volatile string? _attemptError;   // why the current attempt failed, when MQTTnet's exception does not say (TLS validation)
    private int _connectCount;
    private int _pendingAcks;
    private int _disposed;

    public MqttClient(MqttClientOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _connectOptions = BuildConnectOptions(options);
        _client = new Net.MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _reconnect = ReconnectBackoff.Create(options.ReconnectMinDelay, options.ReconnectMaxDelay, _time, OnRetry);
    }

    /// <summary>Raised on MQTTnet's message loop for each received message; must not block.</summary>
    public event Action<MqttMessage>? MessageReceived;

    /// <summary>Raised on the supervising loop when the connection state changes; the string is the reason.</summary>
    public event Action<MqttConnectionState, string?>? StateChanged;

    public MqttConnectionState State => _state;

    /// <summary>Why the last connection attempt failed or the connection dropped; null while healthy.</summary>
    public string? LastError { get; private set; }

    /// <summary>Number of successful connections so far (the first one included).</summary>
    public int ConnectCount => Volatile.Read(ref _connectCount);

    /// <summary>Publishes not yet acknowledged by the broker.</summary>
    public int PendingAcks => Volatile.Read(ref _pendingAcks);

    public string ClientId => _options.ClientId;

    /// <summary>Starts the supervising loop; returns at once. Use <see cref="WaitConnectedAsync"/> to wait for CONNACK.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_stateLock)
        {
            if (_loop is not null) return;
            _loop = Task.Run(SuperviseAsync);
        }
    }

    public Task WaitConnectedAsync(CancellationToken ct = default)
    {
        lock (_stateLock) return _connected.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Publishes a message. QoS 1/2: completes with the broker's reason code when acknowledged. QoS 0: completes when
    /// written. Faults with <see cref="MqttException"/> when not connected or when the connection drops before the PUBACK.
    /// </summary>
    public Task<PublishResult> PublishAsync(string topic, ReadOnlySpan<byte> payload, int qos = 1, bool retain = false,
        string? contentType = null, ReadOnlySpan<byte> correlationData = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var builder = new Net.MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel((Net.Protocol.MqttQualityOfServiceLevel)qos)
            .WithRetainFlag(retain);
        if (contentType is not null) builder.WithContentType(contentType);
        if (!correlationData.IsEmpty) builder.WithCorrelationData(correlationData.ToArray());
        if (_state != MqttConnectionState.Connected) return Task.FromException<PublishResult>(new MqttException(MqttException.NotConnected, "not connected"));
        return SendAsync(builder.Build(), Volatile.Read(ref _connection).Token);
    }

    private async Task<PublishResult> SendAsync(Net.MqttApplicationMessage message, CancellationToken connection)
    {
        Interlocked.Increment(ref _pendingAcks);
        try
        {
            var result = await _client.PublishAsync(message, connection).ConfigureAwait(false);
            var code = (int)result.ReasonCode;
            return new PublishResult(code, ReasonText(code));
        }
        catch (Exception ex) when (ex is Net.Exceptions.MqttCommunicationException or Net.Exceptions.MqttClientNotConnectedException or OperationCanceledException)
        {
            throw new MqttException(MqttException.ConnectionLost, $"connection lost before the broker acknowledged {message.Topic}: {ex.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _pendingAcks);
        }
    }

    /// <summary>
    /// Subscribes now (when connected) and again after every reconnect. Completes when the broker grants it;
    /// throws <see cref="MqttException"/> when the broker refuses the filter.
    /// </summary>
    public async Task SubscribeAsync(string filter, int qos = 1, CancellationToken ct = default)
    {
        _subscriptions[filter] = qos;
        await WaitConnectedAsync(ct).ConfigureAwait(false);
        await SendSubscribeAsync(filter, qos, ct).ConfigureAwait(false);
    }

    private async Task SendSubscribeAsync(string filter, int qos, CancellationToken ct)
    {
        var options = new Net.MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel((Net.Protocol.MqttQualityOfServiceLevel)qos))
            .Build();
        var result = await _client.SubscribeAsync(options, ct).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            var code = (int)item.ResultCode;
            if (code >= 0x80) throw new MqttException(code, $"subscription to {filter} refused: {ReasonText(code)}");
        }
    }

    /// <summary>Connect, wait for the end of the connection, connect again: until disposed. Failed attempts back off (Polly).</summary>
    private async Task SuperviseAsync()
    {
        var stop = _stop.Token;
        LogStarting(_options.Describe());
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var lost = await _reconnect.ExecuteAsync(static (self, ct) => self.ConnectOnceAsync(ct), this, stop).ConfigureAwait(false);
                var reason = await lost.WaitAsync(stop).ConfigureAwait(false);
                await Volatile.Read(ref _connection).CancelAsync().ConfigureAwait(false);
                LastError = reason;
                SetState(MqttConnectionState.Disconnected, reason);
                LogConnectionLost(_options.Describe(), reason);
                // A connection that reached CONNACK resets the backoff: the next attempt waits only the first delay.
                await Task.Delay(ReconnectBackoff.Jitter(_options.ReconnectMinDelay), _time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogLoopFailed(ex, _options.Describe());
        }
        finally
        {
            await Volatile.Read(ref _connection).CancelAsync().ConfigureAwait(false);
            SetState(MqttConnectionState.Stopped, "stopped");
            LogStopped(_options.Describe());
        }
    }

    /// <summary>One attempt: CONNECT → CONNACK, then the remembered subscriptions. Returns a task that completes with the reason the connection ended.</summary>
    private async ValueTask<Task<string>> ConnectOnceAsync(CancellationToken stop)
    {
        _attemptError = null;
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _lost, lost);
        // Before CONNACK: a resumed session's messages may arrive at once and must carry this connection's token.
        // The previous source is not disposed: acknowledgements of its messages may still read its token.
        var connection = new CancellationTokenSource();
        await Interlocked.Exchange(ref _connection, connection).CancelAsync().ConfigureAwait(false);
        SetState(MqttConnectionState.Connecting, null);
        Net.MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(_connectOptions, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            await connection.CancelAsync().ConfigureAwait(false);
            var reason = Explain(ex);
            LastError = reason;
            SetState(MqttConnectionState.Disconnected, reason);
            throw new MqttException(MqttException.ConnectFailed, reason, ex);
        }
        if (result.ResultCode != Net.MqttClientConnectResultCode.Success)
        {
            await connection.CancelAsync().ConfigureAwait(false);
            var reason = $"connection refused: {ReasonText((int)result.ResultCode)}";
            LastError = reason;
            SetState(MqttConnectionState.Disconnected, reason);
            throw new MqttException((int)result.ResultCode, reason);
        }
        LastError = null;
        Interlocked.Increment(ref _connectCount);
        LogConnected(_options.Describe(), result.IsSessionPresent);
        SetState(MqttConnectionState.Connected, null);
        foreach (var (filter, qos) in _subscriptions) _ = ResubscribeAsync(filter, qos, connection.Token);
        return lost.Task;
    }

    private async Task ResubscribeAsync(string filter, int qos, CancellationToken connection)
    {
        try
        {
            await SendSubscribeAsync(filter, qos, connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is MqttException or Net.Exceptions.MqttCommunicationException or Net.Exceptions.MqttClientNotConnectedException)
        {
            LogResubscribeFailed(filter, ex.Message);
        }
    }

    private ValueTask OnRetry(OnRetryArguments<object> args)
    {
        LogConnectFailed(_options.Describe(), LastError ?? args.Outcome.Exception?.Message ?? "unknown", args.RetryDelay.TotalSeconds);
        return default;
    }

    private Task OnDisconnectedAsync(Net.MqttClientDisconnectedEventArgs e)
    {
        // Only signals the supervising loop; reconnecting happens there.
        if (e.ClientWasConnected)
        {
            var reason = e.Exception is { } ex ? Explain(ex)
                : e.Reason == Net.MqttClientDisconnectReason.NormalDisconnection ? "disconnected"
                : $"disconnected by the broker: {ReasonText((int)e.Reason)}";
            Volatile.Read(ref _lost).TrySetResult(reason);
        }
        return Task.CompletedTask;
    }

    private Task OnMessageAsync(Net.MqttApplicationMessageReceivedEventArgs e)
    {
        var m = e.ApplicationMessage;
        var manual = _options.AcknowledgeManually && m.QualityOfServiceLevel != Net.Protocol.MqttQualityOfServiceLevel.AtMostOnce;
        if (manual) e.AutoAcknowledge = false;
        var message = new MqttMessage(m.Topic, BuffersExtensions.ToArray(m.Payload), (int)m.QualityOfServiceLevel, m.Retain, m.ContentType, m.CorrelationData)
        {
            Acknowledgement = manual ? new MqttAcknowledgement(e, Volatile.Read(ref _connection).Token) : null,
        };
        try
        {
            MessageReceived?.Invoke(message);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, "MessageReceived");
        }
        return Task.CompletedTask;
    }

    /// <summary>One line saying why an attempt or a connection failed, from the innermost exception that says something.</summary>
    private string Explain(Exception ex)
    {
        if (_attemptError is { } tls) return tls;
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException s:
                    return s.SocketErrorCode == SocketError.ConnectionRefused ? "Connection refused" : s.Message;
                case AuthenticationException a:
                    return $"TLS handshake failed: {a.InnerException?.Message ?? a.Message}";
            }
        }
        if (_state != MqttConnectionState.Connected && ex is Net.Exceptions.MqttCommunicationException or EndOfStreamException or IOException)
            return $"connection closed by the broker before CONNACK (a TLS-only port spoken to in plaintext, or a refused certificate?): {ex.Message}";
        return ex.Message;
    }

    private void SetState(MqttConnectionState state, string? reason)
    {
        lock (_stateLock)
        {
            if (_state == state) return;
            _state = state;
            if (state == MqttConnectionState.Connected) _connected.TrySetResult();
            else if (_connected.Task.IsCompleted) _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        try { StateChanged?.Invoke(state, reason); }
        catch (Exception ex) { LogHandlerFailed(ex, "StateChanged"); }
    }

    private Net.MqttClientOptions BuildConnectOptions(MqttClientOptions o)
    {
        var b = new Net.MqttClientOptionsBuilder()
            .WithProtocolVersion(Net.Formatter.MqttProtocolVersion.V500)
            .WithTcpServer(o.Host, o.Port)
            .WithClientId(o.ClientId)
            .WithCleanStart(o.CleanStart)
            .WithSessionExpiryInterval((uint)Math.Clamp(o.SessionExpiry.TotalSeconds, 0, uint.MaxValue))
            .WithKeepAlivePeriod(o.KeepAlive)
            .WithTimeout(o.ConnectTimeout);
        if (o.ReceiveMaximum == 0) throw new ArgumentOutOfRangeException(nameof(o), "receive maximum must be 1-65535");
        b.WithReceiveMaximum(o.ReceiveMaximum);
        if (o.Username is not null) b.WithCredentials(o.Username, o.Password);
        if (o.Will is { } will)
        {
            b.WithWillTopic(will.Topic).WithWillPayload(will.Payload).WithWillRetain(will.Retain)
                .WithWillQualityOfServiceLevel((Net.Protocol.MqttQualityOfServiceLevel)will.Qos);
        }
        if (o.Tls is { } tls)
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(tls.CaFile);
            if (trusted.Count == 0) throw new MqttException(MqttException.ConnectFailed, $"TLS CA file {tls.CaFile} holds no certificate");
            b.WithTlsOptions(t =>
            {
                t.UseTls().WithTargetHost(o.Host).WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                    .WithCertificateValidationHandler(args => ValidateServer(args.Certificate, args.SslPolicyErrors, trusted, tls.Insecure));
                if (tls.CertFile is not null)
                    t.WithClientCertificates([X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile ?? tls.CertFile)]);
            });
        }
        var built = b.Build();
        // MQTTnet sets SO_RCVBUF and SO_SNDBUF to this (default 8 KiB), which fixes the TCP window at ~16 KiB: a subscriber
        // then stalled at ~40 messages/s behind mosquitto's Nagle and its own delayed ACKs (measured, ss: rwnd-limited).
        if (built.ChannelOptions is Net.MqttClientTcpOptions tcp) tcp.BufferSize = SocketBufferBytes;
        return built;
    }

    /// <summary>Socket send and receive buffer (the kernel caps it at net.core.rmem_max / wmem_max).</summary>
    private const int SocketBufferBytes = 1 << 20;

    /// <summary>The broker's certificate must chain to the configured CA (only), and name the host unless <see cref="MqttTlsOptions.Insecure"/>.</summary>
    private bool ValidateServer(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted, bool insecure)
    {
        if (certificate is null)
        {
            _attemptError = "certificate verify failed: the broker sent no certificate";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var cert = new X509Certificate2(certificate);
        if (!chain.Build(cert))
        {
            var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            _attemptError = $"certificate verify failed: {(why.Length > 0 ? why : "not signed by the configured CA")}";
            return false;
        }
        if (!insecure && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            _attemptError = $"certificate verify failed: the broker's certificate does not name {_options.Host}";
            return false;
        }
        return true;
    }

    /// <summary>MQTT 5 reason code as words, e.g. 0x87 "Not authorized", 0x10 "No matching subscribers".</summary>
    internal static string ReasonText(int code) => code switch
    {
        0 => "Success",
        0x10 => "No matching subscribers",
        0x80 => "Unspecified error",
        0x83 => "Implementation specific error",
        0x84 => "Unsupported protocol version",
        0x85 => "Client identifier not valid",
        0x86 => "Bad user name or password",
        0x87 => "Not authorized",
        0x88 => "Server unavailable",
        0x89 => "Server busy",
        0x8A => "Banned",
        0x8F => "Topic filter invalid",
        0x90 => "Topic name invalid",
        0x91 => "Packet identifier in use",
        0x97 => "Quota exceeded",
        0x99 => "Payload format invalid",
        0x9E => "Shared subscriptions not supported",
        _ => $"reason 0x{code:x2}",
    };

    /// <summary>
    /// Test hook: ends the connection as a crash or a network fault would for the broker, which publishes the will
    /// (DISCONNECT with reason 0x04 "Disconnect with Will Message"). The client then reconnects as usual.
    /// </summary>
    internal void SimulateNetworkFault() =>
        _ = _client.DisconnectAsync(new Net.MqttClientDisconnectOptionsBuilder().WithReason(Net.MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build());

    /// <summary>Stops the supervising loop, sends DISCONNECT (so the broker does not publish the will), disposes the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        if (_client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(new Net.MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Net.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                // Gone already: the broker publishes the will, as after a crash.
            }
        }
        _client.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "MQTT client starting: {Endpoint}")]
    private partial void LogStarting(string endpoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "MQTT connected: {Endpoint} (session present: {SessionPresent})")]
    private partial void LogConnected(string endpoint, bool sessionPresent);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "MQTT connect to {Endpoint} failed: {Reason}; retrying in {DelaySeconds:0.#} s")]
    private partial void LogConnectFailed(string endpoint, string reason, double delaySeconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "MQTT connection to {Endpoint} lost: {Reason}; reconnecting")]
    private partial void LogConnectionLost(string endpoint, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "MQTT supervising loop for {Endpoint} failed")]
    private partial void LogLoopFailed(Exception ex, string endpoint);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "MQTT client stopped: {Endpoint}")]
    private partial void LogStopped(string endpoint);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "MQTT {Handler} handler threw")]
    private partial void LogHandlerFailed(Exception ex, string handler);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "MQTT re-subscription to {Filter} after reconnecting failed: {Reason}")]
    private partial void LogResubscribeFailed(string filter, string reason);
}

/// <summary>The broker refused an operation, or the connection failed; <see cref="Code"/> is the MQTT 5 reason code or one of the negative codes here.</summary>
public sealed class MqttException(int code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Publish while not connected.</summary>
    public const int NotConnected = -1;

    /// <summary>The connection ended before the broker acknowledged.</summary>
    public const int ConnectionLost = -2;

    /// <summary>A connection attempt failed before CONNACK (network, TLS).</summary>
    public const int ConnectFailed = -3;

    public int Code { get; } = code;
}
