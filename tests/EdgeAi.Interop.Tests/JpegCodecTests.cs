using System.Diagnostics;
using EdgeAi.Interop.Jpeg;
using EdgeAi.Testing;

namespace EdgeAi.Interop.Tests;

public sealed class JpegCodecTests
{
    private static byte[] Gradient(int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var i = (y * w + x) * 3;
            rgb[i] = (byte)(x * 255 / (w - 1));
            rgb[i + 1] = (byte)(y * 255 / (h - 1));
            rgb[i + 2] = 128;
        }
        return rgb;
    }

    [Fact]
    public void EncodeRgb_Gradient_ValidJpegThatDecodesBackClosely()
    {
        using var codec = new JpegCodec();
        var rgb = Gradient(64, 48);

        var jpeg = codec.EncodeRgb(rgb, 64, 48, quality: 90);

        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);          // SOI + marker
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, jpeg[^2..]);               // EOI
        Assert.Equal((64, 48), codec.ReadSize(jpeg));
        var back = codec.DecodeRgb(jpeg, out var w, out var h);
        Assert.Equal((64, 48), (w, h));
        var meanAbsError = rgb.Zip(back, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanAbsError, 0, 4.0);
    }

    [Fact]
    public void EncodeRgb_ReadByFfprobe_ReportsMjpegAndSize()
    {
        using var codec = new JpegCodec();
        var path = Path.Combine(Path.GetTempPath(), $"edgeai-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, codec.EncodeRgb(Gradient(320, 200), 320, 200));
        try
        {
            var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path])
            { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            Assert.Equal("mjpeg,320,200", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EncodeRgb_BufferTooSmall_ThrowsWithSizes()
    {
        using var codec = new JpegCodec();
        var ex = Assert.Throws<ArgumentException>(() => codec.EncodeRgb(new byte[10], 64, 48));
        Assert.Contains("9216", ex.Message);
    }

    [Fact]
    public void ReadSize_NotAJpeg_ThrowsFormatException()
    {
        using var codec = new JpegCodec();
        Assert.Throws<FormatException>(() => codec.ReadSize("definitely not a jpeg"u8));
    }
}
