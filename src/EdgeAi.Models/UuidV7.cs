namespace EdgeAi.Models;

/// <summary>UUIDv7 (RFC 9562): 48-bit Unix milliseconds then random bits, so ids sort by creation time.</summary>
public static class UuidV7
{
    /// <summary>A new UUIDv7 stamped with <paramref name="time"/>'s current UTC time (default the system clock).</summary>
    public static Guid New(TimeProvider? time = null) => Guid.CreateVersion7((time ?? TimeProvider.System).GetUtcNow());

    /// <summary>True when <paramref name="id"/> is a version 7, RFC 9562 variant UUID.</summary>
    public static bool IsV7(Guid id) => id.Version == 7 && (id.Variant & 0xC) == 0x8;

    /// <summary>The creation time encoded in a UUIDv7 (millisecond precision).</summary>
    public static DateTimeOffset GetTimestamp(Guid id)
    {
        Span<byte> b = stackalloc byte[16];
        id.TryWriteBytes(b, bigEndian: true, out _);
        var ms = ((long)b[0] << 40) | ((long)b[1] << 32) | ((long)b[2] << 24) | ((long)b[3] << 16) | ((long)b[4] << 8) | b[5];
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <summary>The 16 bytes in RFC 9562 (network) order: what MQTT correlation data carries for an event id.</summary>
    public static byte[] ToBytes(Guid id) => id.ToByteArray(bigEndian: true);

    /// <summary>Reads an id written by <see cref="ToBytes"/> (16 bytes) or as text (36 characters).</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Guid id)
    {
        if (bytes.Length == 16)
        {
            id = new Guid(bytes, bigEndian: true);
            return true;
        }
        id = Guid.Empty;
        return bytes.Length <= 64 && Guid.TryParse(System.Text.Encoding.UTF8.GetString(bytes), out id);
    }
}
