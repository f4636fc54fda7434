using System.Runtime.InteropServices;
using EdgeAi.Interop.Native;

namespace EdgeAi.Interop.Mqtt;

/// <summary>P/Invoke declarations for libmosquitto 2.0 (mosquitto.h). Only <see cref="MqttClient"/> calls these.</summary>
internal static unsafe partial class MosquittoNative
{
    public const int Success = 0;
    public const int ErrNoConn = 4;
    public const int ErrConnLost = 7;
    public const int ErrTls = 8;
    public const int ErrErrno = 14;
    public const int LogWarning = 0x04;
    public const int LogErr = 0x08;
    public const int OptProtocolVersion = 1;
    public const int OptTcpNoDelay = 11;
    public const int ProtocolV5 = 5;

    public const int PropContentType = 3;
    public const int PropCorrelationData = 9;
    public const int PropSessionExpiryInterval = 17;

    static MosquittoNative() => NativeLibraries.EnsureResolver();

    [StructLayout(LayoutKind.Sequential)]
    public struct Message
    {
        public int Mid;
        public byte* Topic;
        public byte* Payload;
        public int PayloadLen;
        public int Qos;
        [MarshalAs(UnmanagedType.U1)] public bool Retain;
    }

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_lib_init")]
    public static partial int LibInit();

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_lib_version")]
    public static partial int LibVersion(out int major, out int minor, out int revision);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_new", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr New(string? id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, IntPtr obj);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_destroy")]
    public static partial void Destroy(IntPtr mosq);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_threaded_set")]
    public static partial int ThreadedSet(IntPtr mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_int_option")]
    public static partial int IntOption(IntPtr mosq, int option, int value);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_username_pw_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UsernamePwSet(IntPtr mosq, string? username, string? password);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_tls_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TlsSet(IntPtr mosq, string? caFile, string? caPath, string? certFile, string? keyFile, IntPtr pwCallback);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_tls_insecure_set")]
    public static partial int TlsInsecureSet(IntPtr mosq, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_will_set_v5", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int WillSetV5(IntPtr mosq, string topic, int payloadLen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, IntPtr properties);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_connect_bind_v5", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int ConnectBindV5(IntPtr mosq, string host, int port, int keepalive, string? bindAddress, IntPtr properties);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_disconnect_v5")]
    public static partial int DisconnectV5(IntPtr mosq, int reasonCode, IntPtr properties);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_loop", SetLastError = true)]
    public static partial int Loop(IntPtr mosq, int timeoutMs, int maxPackets);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_publish_v5", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PublishV5(IntPtr mosq, out int mid, string topic, int payloadLen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, IntPtr properties);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_subscribe_v5", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SubscribeV5(IntPtr mosq, out int mid, string sub, int qos, int options, IntPtr properties);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_connect_v5_callback_set")]
    public static partial void ConnectV5CallbackSet(IntPtr mosq, delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, void> cb);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_disconnect_v5_callback_set")]
    public static partial void DisconnectV5CallbackSet(IntPtr mosq, delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, void> cb);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_publish_v5_callback_set")]
    public static partial void PublishV5CallbackSet(IntPtr mosq, delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, void> cb);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_message_v5_callback_set")]
    public static partial void MessageV5CallbackSet(IntPtr mosq, delegate* unmanaged<IntPtr, IntPtr, Message*, IntPtr, void> cb);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_log_callback_set")]
    public static partial void LogCallbackSet(IntPtr mosq, delegate* unmanaged<IntPtr, IntPtr, int, byte*, void> cb);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_subscribe_v5_callback_set")]
    public static partial void SubscribeV5CallbackSet(IntPtr mosq, delegate* unmanaged<IntPtr, IntPtr, int, int, int*, IntPtr, void> cb);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_property_add_int32")]
    public static partial int PropertyAddInt32(ref IntPtr props, int identifier, uint value);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_property_add_string", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PropertyAddString(ref IntPtr props, int identifier, string value);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_property_add_binary")]
    public static partial int PropertyAddBinary(ref IntPtr props, int identifier, byte* value, ushort len);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_property_free_all")]
    public static partial void PropertyFreeAll(ref IntPtr props);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_property_read_string")]
    public static partial IntPtr PropertyReadString(IntPtr props, int identifier, out IntPtr value, [MarshalAs(UnmanagedType.U1)] bool skipFirst);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_property_read_binary")]
    public static partial IntPtr PropertyReadBinary(IntPtr props, int identifier, out IntPtr value, out ushort len, [MarshalAs(UnmanagedType.U1)] bool skipFirst);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_strerror")]
    public static partial IntPtr StrError(int rc);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_reason_string")]
    public static partial IntPtr ReasonString(int reasonCode);

    [LibraryImport(NativeLibraries.Mosquitto, EntryPoint = "mosquitto_socket")]
    public static partial int Socket(IntPtr mosq);

    [LibraryImport("libc", EntryPoint = "shutdown")]
    public static partial int Shutdown(int fd, int how);

    public const int FGetFd = 1;
    public const int FSetFd = 2;
    public const int FdCloExec = 1;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(IntPtr p);

    public static string ErrorText(int rc) => Marshal.PtrToStringUTF8(StrError(rc)) ?? $"error {rc}";

    public static string ReasonText(int reasonCode) => Marshal.PtrToStringUTF8(ReasonString(reasonCode)) ?? $"reason {reasonCode}";
}
