using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Interop.Mqtt;

/// <summary>
/// MQTT 5 client over libmosquitto. One dedicated network thread connects, runs the libmosquitto loop and
/// reconnects with exponential backoff and jitter; no MQTT protocol is implemented here.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="PublishAsync"/> and <see cref="SubscribeAsync"/> may be called from any thread.
/// <see cref="MessageReceived"/> and <see cref="StateChanged"/> run on the network thread and must not block.
/// A QoS 1 publish completes when the broker's PUBACK arrives; if the connection drops first, libmosquitto
/// resends it after reconnecting and the task completes then (callers put their own timeout on it).
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private static int _libInitialised;

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IntPtr _mosq;
    private readonly GCHandle _self;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _ackLock = new();
    private readonly Dictionary<int, TaskCompletionSource<PublishResult>> _pendingAcks = new();
    private readonly Dictionary<int, int> _earlyAcks = new();
    private readonly Lock _subscribeLock = new();
    private readonly Dictionary<int, TaskCompletionSource> _pendingSubscribes = new();
    private readonly Dictionary<int, int> _earlySubacks = new();
    private readonly ConcurrentDictionary<string, int> _subscriptions = new();
    private readonly Lock _stateLock = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private IntPtr _connectProperties;
    private volatile MqttConnectionState _state = MqttConnectionState.Stopped;
    private string? _attemptError;   // why the current attempt or connection failed (network thread only)
    private string? _libraryError;   // last error/warning libmosquitto logged in this attempt, e.g. the OpenSSL reason
    private int _disposed;

    public unsafe MqttClient(MqttClientOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        Native.NativeLibraries.RequireMosquitto();
        if (Interlocked.Exchange(ref _libInitialised, 1) == 0) MosquittoNative.LibInit();

        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _self = GCHandle.Alloc(this);
        _mosq = MosquittoNative.New(options.ClientId, options.CleanStart, GCHandle.ToIntPtr(_self));
        if (_mosq == IntPtr.Zero) throw new InvalidOperationException("mosquitto_new failed (out of memory or invalid client id)");

        Check(MosquittoNative.IntOption(_mosq, MosquittoNative.OptProtocolVersion, MosquittoNative.ProtocolV5), "protocol version");
        MosquittoNative.IntOption(_mosq, MosquittoNative.OptTcpNoDelay, 1);
        Check(MosquittoNative.ThreadedSet(_mosq, true), "threaded");
        if (options.Username is not null)
            Check(MosquittoNative.UsernamePwSet(_mosq, options.Username, options.Password), "username/password");
        if (options.Tls is { } tls)
        {
            Check(MosquittoNative.TlsSet(_mosq, tls.CaFile, null, tls.CertFile, tls.KeyFile, IntPtr.Zero), $"TLS files (ca {tls.CaFile})");
            if (tls.Insecure) MosquittoNative.TlsInsecureSet(_mosq, true);
        }
        if (options.Will is { } will)
        {
            fixed (byte* p = will.Payload)
                Check(MosquittoNative.WillSetV5(_mosq, will.Topic, will.Payload.Length, p, will.Qos, will.Retain, IntPtr.Zero), "last will");
        }
        Check(MosquittoNative.PropertyAddInt32(ref _connectProperties, MosquittoNative.PropSessionExpiryInterval,
            (uint)Math.Clamp(options.SessionExpiry.TotalSeconds, 0, uint.MaxValue)), "session expiry");

        MosquittoNative.ConnectV5CallbackSet(_mosq, &OnConnect);
        MosquittoNative.DisconnectV5CallbackSet(_mosq, &OnDisconnect);
        MosquittoNative.PublishV5CallbackSet(_mosq, &OnPublish);
        MosquittoNative.MessageV5CallbackSet(_mosq, &OnMessage);
        MosquittoNative.SubscribeV5CallbackSet(_mosq, &OnSubscribe);
        MosquittoNative.LogCallbackSet(_mosq, &OnLog);
    }

    /// <summary>Raised on the network thread for each received message.</summary>
    public event Action<MqttMessage>? MessageReceived;

    /// <summary>Raised on the network thread when the connection state changes; the string is the reason.</summary>
    public event Action<MqttConnectionState, string?>? StateChanged;

    public MqttConnectionState State => _state;

    /// <summary>Why the last connection attempt failed or the connection dropped; null while healthy.</summary>
    public string? LastError { get; private set; }

    /// <summary>Number of successful connections so far (the first one included).</summary>
    public int ConnectCount { get; private set; }

    /// <summary>Publishes not yet acknowledged by the broker.</summary>
    public int PendingAcks { get { lock (_ackLock) return _pendingAcks.Count; } }

    public string ClientId => _options.ClientId;

    /// <summary>Starts the network thread; returns at once. Use <see cref="WaitConnectedAsync"/> to wait for CONNACK.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_thread is not null) return;
        _thread = new Thread(NetworkLoop) { IsBackground = true, Name = $"mqtt {_options.ClientId}" };
        _thread.Start();
    }

    public Task WaitConnectedAsync(CancellationToken ct = default)
    {
        lock (_stateLock) return _connected.Task.WaitAsync(ct);
    }

    /// <summary>
    /// Publishes a message. QoS 1/2: completes with the broker's reason code when acknowledged. QoS 0: completes
    /// when handed to the library. Throws <see cref="MqttException"/> when libmosquitto refuses it outright.
    /// </summary>
    public unsafe Task<PublishResult> PublishAsync(string topic, ReadOnlySpan<byte> payload, int qos = 1, bool retain = false,
        string? contentType = null, ReadOnlySpan<byte> correlationData = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var props = IntPtr.Zero;
        try
        {
            if (contentType is not null)
                Check(MosquittoNative.PropertyAddString(ref props, MosquittoNative.PropContentType, contentType), "content type");
            if (!correlationData.IsEmpty)
                fixed (byte* c = correlationData)
                    Check(MosquittoNative.PropertyAddBinary(ref props, MosquittoNative.PropCorrelationData, c, checked((ushort)correlationData.Length)), "correlation data");

            int mid, rc;
            fixed (byte* p = payload)
                rc = MosquittoNative.PublishV5(_mosq, out mid, topic, payload.Length, p, qos, retain, props);
            if (rc != MosquittoNative.Success)
            {
                // Not connected, QoS 0: the message is simply not sent. Report it rather than pretend.
                if (rc == MosquittoNative.ErrNoConn) return Task.FromException<PublishResult>(new MqttException(rc, "not connected"));
                throw new MqttException(rc, $"publish to {topic}: {MosquittoNative.ErrorText(rc)}");
            }
            if (qos == 0) return Task.FromResult(new PublishResult(0, "sent"));

            // The PUBACK may be processed on the network thread before we get here: park early acks.
            lock (_ackLock)
            {
                if (_earlyAcks.Remove(mid, out var early)) return Task.FromResult(new PublishResult(early, MosquittoNative.ReasonText(early)));
                var tcs = new TaskCompletionSource<PublishResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pendingAcks[mid] = tcs;
                return tcs.Task;
            }
        }
        finally
        {
            if (props != IntPtr.Zero) MosquittoNative.PropertyFreeAll(ref props);
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
        await SendSubscribe(filter, qos).WaitAsync(ct).ConfigureAwait(false);
    }

    private Task SendSubscribe(string filter, int qos)
    {
        var rc = MosquittoNative.SubscribeV5(_mosq, out var mid, filter, qos, 0, IntPtr.Zero);
        if (rc != MosquittoNative.Success) return Task.FromException(new MqttException(rc, $"subscribe {filter}: {MosquittoNative.ErrorText(rc)}"));
        // The SUBACK may be handled on the network thread before we get here: OnSubscribe parks it in
        // _earlySubacks (as PublishAsync does with early PUBACKs). No native call runs under this lock.
        lock (_subscribeLock)
        {
            if (_earlySubacks.Remove(mid, out var refused))
                return refused == 0 ? Task.CompletedTask : Task.FromException(Refused(refused));
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pendingSubscribes[mid] = tcs;
            return tcs.Task;
        }
    }

    private static MqttException Refused(int code) => new(code, $"subscription refused: {MosquittoNative.ReasonText(code)}");

    private void NetworkLoop()
    {
        var delay = _options.ReconnectMinDelay;
        var ct = _stop.Token;
        LogStarting(_options.Describe());
        try
        {
            while (!ct.IsCancellationRequested)
            {
                _attemptError = _libraryError = null;
                var connectsBefore = ConnectCount;
                SetState(MqttConnectionState.Connecting, null);
                var rc = MosquittoNative.ConnectBindV5(_mosq, _options.Host, _options.Port,
                    (int)_options.KeepAlive.TotalSeconds, null, _connectProperties);
                var errno = Marshal.GetLastPInvokeError();
                if (rc == MosquittoNative.Success)
                {
                    // libmosquitto opens its socket without SOCK_CLOEXEC: without this, every child the process starts
                    // afterwards (one ffmpeg per camera) would hold the broker connection open after we close it.
                    var fd = MosquittoNative.Socket(_mosq);
                    var flags = fd >= 0 ? MosquittoNative.Fcntl(fd, MosquittoNative.FGetFd, 0) : -1;
                    if (flags >= 0) MosquittoNative.Fcntl(fd, MosquittoNative.FSetFd, flags | MosquittoNative.FdCloExec);
                    while (!ct.IsCancellationRequested)
                    {
                        rc = MosquittoNative.Loop(_mosq, 100, 1);
                        errno = Marshal.GetLastPInvokeError();
                        if (rc != MosquittoNative.Success) break;
                    }
                    if (ct.IsCancellationRequested) break;
                }

                // A connection that reached CONNACK resets the backoff; failed attempts double it up to the cap.
                // (OnDisconnect may already have left the Connected state: count connections, not states.)
                var wasConnected = ConnectCount > connectsBefore;
                var reason = _attemptError ?? Explain(rc, errno, wasConnected);
                LastError = reason;
                SetState(MqttConnectionState.Disconnected, reason);
                if (wasConnected)
                {
                    delay = _options.ReconnectMinDelay;
                    LogConnectionLost(_options.Describe(), reason);
                }
                else
                {
                    LogConnectFailed(_options.Describe(), reason, delay.TotalSeconds);
                }
                if (ct.WaitHandle.WaitOne(Jitter(delay))) break;
                if (!wasConnected) delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
        catch (Exception ex)
        {
            LogLoopFailed(ex, _options.Describe());
        }
        finally
        {
            SetState(MqttConnectionState.Stopped, "stopped");
            LogStopped(_options.Describe());
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + Random.Shared.NextDouble() * 0.4);

    /// <summary>One line saying why an attempt or connection failed, with the system's or OpenSSL's reason where there is one.</summary>
    private string Explain(int rc, int errno, bool wasConnected)
    {
        var text = rc switch
        {
            MosquittoNative.ErrErrno when errno != 0 => Marshal.GetPInvokeErrorMessage(errno),
            MosquittoNative.ErrConnLost when !wasConnected => "connection closed by the broker before CONNACK (a TLS-only port spoken to in plaintext, or a refused certificate?)",
            _ => MosquittoNative.ErrorText(rc),
        };
        return _libraryError is { } lib && (rc == MosquittoNative.ErrTls || !wasConnected) ? $"{text}: {lib}" : text;
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

    private static MqttClient Self(IntPtr obj) => (MqttClient)GCHandle.FromIntPtr(obj).Target!;

    [UnmanagedCallersOnly]
    private static void OnConnect(IntPtr mosq, IntPtr obj, int rc, int flags, IntPtr props)
    {
        var self = Self(obj);
        if (rc != 0)
        {
            self._attemptError = self.LastError = $"connection refused: {MosquittoNative.ReasonText(rc)}";
            return;
        }
        self.LastError = null;
        self.ConnectCount++;
        self.LogConnected(self._options.Describe(), (flags & 1) != 0);
        self.SetState(MqttConnectionState.Connected, null);
        foreach (var (filter, qos) in self._subscriptions)
        {
            _ = self.SendSubscribe(filter, qos);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnDisconnect(IntPtr mosq, IntPtr obj, int rc, IntPtr props)
    {
        var self = Self(obj);
        self.SetState(MqttConnectionState.Disconnected, self._attemptError ?? (rc == 0 ? "disconnected" : MosquittoNative.ErrorText(rc)));
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnLog(IntPtr mosq, IntPtr obj, int level, byte* text)
    {
        // Keep the first error (e.g. "OpenSSL Error[0]: ... certificate verify failed") to explain a failed attempt.
        if ((level & (MosquittoNative.LogErr | MosquittoNative.LogWarning)) == 0 || text is null) return;
        var self = Self(obj);
        self._libraryError ??= Marshal.PtrToStringUTF8((IntPtr)text);
    }

    [UnmanagedCallersOnly]
    private static void OnPublish(IntPtr mosq, IntPtr obj, int mid, int reasonCode, IntPtr props)
    {
        var self = Self(obj);
        TaskCompletionSource<PublishResult>? tcs;
        lock (self._ackLock)
        {
            if (!self._pendingAcks.Remove(mid, out tcs))
            {
                self._earlyAcks[mid] = reasonCode;
                return;
            }
        }
        tcs.TrySetResult(new PublishResult(reasonCode, MosquittoNative.ReasonText(reasonCode)));
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnSubscribe(IntPtr mosq, IntPtr obj, int mid, int qosCount, int* granted, IntPtr props)
    {
        var self = Self(obj);
        var refused = 0;
        for (var i = 0; i < qosCount; i++)
        {
            if (granted[i] >= 0x80) { refused = granted[i]; break; }
        }
        TaskCompletionSource? tcs;
        lock (self._subscribeLock)
        {
            if (!self._pendingSubscribes.Remove(mid, out tcs))
            {
                self._earlySubacks[mid] = refused;
                return;
            }
        }
        if (refused == 0) tcs.TrySetResult();
        else tcs.TrySetException(Refused(refused));
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnMessage(IntPtr mosq, IntPtr obj, MosquittoNative.Message* msg, IntPtr props)
    {
        var self = Self(obj);
        var handler = self.MessageReceived;
        if (handler is null) return;
        try
        {
            var topic = Marshal.PtrToStringUTF8((IntPtr)msg->Topic) ?? "";
            var payload = new ReadOnlySpan<byte>(msg->Payload, msg->PayloadLen).ToArray();
            string? contentType = null;
            byte[]? correlation = null;
            if (props != IntPtr.Zero)
            {
                if (MosquittoNative.PropertyReadString(props, MosquittoNative.PropContentType, out var ct, false) != IntPtr.Zero)
                {
                    contentType = Marshal.PtrToStringUTF8(ct);
                    MosquittoNative.Free(ct);
                }
                if (MosquittoNative.PropertyReadBinary(props, MosquittoNative.PropCorrelationData, out var cd, out var len, false) != IntPtr.Zero)
                {
                    correlation = new ReadOnlySpan<byte>((void*)cd, len).ToArray();
                    MosquittoNative.Free(cd);
                }
            }
            handler(new MqttMessage(topic, payload, msg->Qos, msg->Retain, contentType, correlation));
        }
        catch (Exception ex)
        {
            self.LogHandlerFailed(ex, "MessageReceived");
        }
    }

    /// <summary>Test hook: the connection's file descriptor, -1 when there is none.</summary>
    internal int SocketDescriptor => MosquittoNative.Socket(_mosq);

    /// <summary>
    /// Test hook: cuts the TCP connection without an MQTT DISCONNECT, as a crash or a network fault would,
    /// so the broker publishes the will. The client then reconnects as usual.
    /// </summary>
    internal void SimulateNetworkFault()
    {
        var fd = MosquittoNative.Socket(_mosq);
        if (fd >= 0) MosquittoNative.Shutdown(fd, 2);
    }

    private static void Check(int rc, string what)
    {
        if (rc != MosquittoNative.Success) throw new MqttException(rc, $"{what}: {MosquittoNative.ErrorText(rc)}");
    }

    /// <summary>Sends DISCONNECT (so the broker does not publish the will), stops the thread, frees the handle.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_state == MqttConnectionState.Connected)
        {
            MosquittoNative.DisconnectV5(_mosq, 0, IntPtr.Zero);
        }
        _stop.Cancel();
        if (_thread is not null) await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        lock (_ackLock)
        {
            foreach (var tcs in _pendingAcks.Values) tcs.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
            _pendingAcks.Clear();
        }
        lock (_subscribeLock)
        {
            foreach (var tcs in _pendingSubscribes.Values) tcs.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
            _pendingSubscribes.Clear();
        }
        MosquittoNative.Destroy(_mosq);
        if (_connectProperties != IntPtr.Zero) MosquittoNative.PropertyFreeAll(ref _connectProperties);
        _self.Free();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "MQTT client starting: {Endpoint}")]
    private partial void LogStarting(string endpoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "MQTT connected: {Endpoint} (session present: {SessionPresent})")]
    private partial void LogConnected(string endpoint, bool sessionPresent);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "MQTT connect to {Endpoint} failed: {Reason}; retrying in {DelaySeconds:0.#} s")]
    private partial void LogConnectFailed(string endpoint, string reason, double delaySeconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "MQTT connection to {Endpoint} lost: {Reason}; reconnecting")]
    private partial void LogConnectionLost(string endpoint, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "MQTT network loop for {Endpoint} failed")]
    private partial void LogLoopFailed(Exception ex, string endpoint);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "MQTT client stopped: {Endpoint}")]
    private partial void LogStopped(string endpoint);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "MQTT {Handler} handler threw")]
    private partial void LogHandlerFailed(Exception ex, string handler);
}

/// <summary>libmosquitto refused an operation or the broker refused a request; <see cref="Code"/> is the library or MQTT reason code.</summary>
public sealed class MqttException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
