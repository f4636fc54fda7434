using EdgeAi.Interop.Native;

namespace EdgeAi.Interop.Jpeg;

/// <summary>
/// JPEG encode/decode of packed RGB24 images through libturbojpeg. An instance holds native handles and is
/// not thread-safe: give each worker thread or stage its own.
/// </summary>
public sealed unsafe class JpegCodec : IDisposable
{
    private IntPtr _compress;
    private IntPtr _decompress;

    public JpegCodec() => NativeLibraries.RequireTurboJpeg();

    /// <summary>Encodes <paramref name="rgb"/> (width*height*3 bytes, rows packed) with 4:2:0 subsampling.</summary>
    public byte[] EncodeRgb(ReadOnlySpan<byte> rgb, int width, int height, int quality = 85)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality is 1..100");
        if (rgb.Length < width * height * 3)
            throw new ArgumentException($"buffer holds {rgb.Length} bytes, {width}x{height} RGB needs {width * height * 3}", nameof(rgb));
        ObjectDisposedException.ThrowIf(_compress == (IntPtr)(-1), this);
        if (_compress == IntPtr.Zero) _compress = TurboJpegNative.InitCompress();

        var jpeg = IntPtr.Zero;
        nuint size = 0;
        try
        {
            int rc;
            fixed (byte* src = rgb)
                rc = TurboJpegNative.Compress2(_compress, src, width, width * 3, height, TurboJpegNative.PixelFormatRgb,
                    ref jpeg, ref size, TurboJpegNative.Subsampling420, quality, 0);
            if (rc != 0) throw new InvalidOperationException($"JPEG encode failed: {TurboJpegNative.ErrorText(_compress)}");
            return new ReadOnlySpan<byte>((void*)jpeg, checked((int)size)).ToArray();
        }
        finally
        {
            if (jpeg != IntPtr.Zero) TurboJpegNative.Free(jpeg);
        }
    }

    /// <summary>Reads the dimensions from a JPEG header; throws <see cref="FormatException"/> if it is not a JPEG.</summary>
    public (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        EnsureDecompress();
        fixed (byte* p = jpeg)
        {
            if (TurboJpegNative.DecompressHeader3(_decompress, p, (nuint)jpeg.Length, out var w, out var h, out _, out _) != 0)
                throw new FormatException($"not a JPEG: {TurboJpegNative.ErrorText(_decompress)}");
            return (w, h);
        }
    }

    /// <summary>Decodes to packed RGB24.</summary>
    public byte[] DecodeRgb(ReadOnlySpan<byte> jpeg, out int width, out int height)
    {
        (width, height) = ReadSize(jpeg);
        var rgb = new byte[width * height * 3];
        fixed (byte* p = jpeg)
        fixed (byte* dst = rgb)
        {
            if (TurboJpegNative.Decompress2(_decompress, p, (nuint)jpeg.Length, dst, width, width * 3, height, TurboJpegNative.PixelFormatRgb, 0) != 0)
                throw new FormatException($"JPEG decode failed: {TurboJpegNative.ErrorText(_decompress)}");
        }
        return rgb;
    }

    private void EnsureDecompress()
    {
        ObjectDisposedException.ThrowIf(_decompress == (IntPtr)(-1), this);
        if (_decompress == IntPtr.Zero) _decompress = TurboJpegNative.InitDecompress();
    }

    public void Dispose()
    {
        if (_compress != IntPtr.Zero && _compress != (IntPtr)(-1)) TurboJpegNative.Destroy(_compress);
        if (_decompress != IntPtr.Zero && _decompress != (IntPtr)(-1)) TurboJpegNative.Destroy(_decompress);
        _compress = _decompress = (IntPtr)(-1);
    }
}
